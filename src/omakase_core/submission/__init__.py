"""Connecure applications and their documents (SUB-1 … SUB-14).

Eleven document lifecycles shared between the customer and the operator (SUB-3), the
new-installation and change applications that hold them (SUB-4 … SUB-8), and the date,
price and format rules around them (SUB-7, SUB-9 … SUB-14).
"""

from omakase_core.submission.machine import SUBMISSION_LIFECYCLES
from omakase_core.submission.status import SubmissionStatus

__all__ = ["SUBMISSION_LIFECYCLES", "SubmissionStatus"]
