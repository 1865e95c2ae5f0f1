r"""The pure rules of fault inquiries: attachment types and sizes, and their purge (INQ-2).

Every function here takes plain data and imports none of the domain's other modules, so
that :class:`~omakase_core.inquiry.model.Attachment` can validate itself with it.

Decisions (the rulebook is silent): sizes are binary (3 MB = 3,145,728 bytes); an empty
file (0 bytes) is refused; the file name is at most 255 characters, and an error echoes
at most its first 40. The file name is a bare name, as the customer's file was called: no
folder (``/``, ``\``), not ``.`` or ``..``, no drive or stream (``:``), so that a name
can never reach outside the folder a portal writes it to. Every text of an inquiry
(subject, body, follow-up, answer, file name) refuses control and formatting characters
(:func:`check_inquiry_text`): the subject and the answer go into the INQ-3 mail.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Final

from omakase_core._validation import check_text, is_bare_file_name, refuse_invisible
from omakase_core.calendar import period_end, to_jst
from omakase_core.calendar._jst import check_int
from omakase_core.errors import ValidationError, excerpt

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "attachment_purge_at",
    "validate_attachment",
]

ATTACHMENT_TYPES: Final = frozenset(
    {".pdf", ".png", ".jpeg", ".jpg", ".gif", ".bmp", ".txt", ".csv", ".xlsx"}
)
"""INQ-2: the accepted extensions (compared case-insensitively)."""

ATTACHMENT_MAX_BYTES: Final = 3 * 1024 * 1024
"""INQ-2: at most 3 MB per file."""

_MAX_NAME: Final = 255
_SHOWN: Final = 40


def check_inquiry_text(value: object, *, field: str, rule: str, max_length: int) -> str:
    """Return ``value`` stripped if it is visible text of at most ``max_length`` (INQ-1).

    As :func:`~omakase_core._validation.check_text`, and no formatting character either
    (Unicode Cf: bidi controls such as U+202E, zero-width characters, the byte-order mark),
    nor a line or paragraph separator: the refusal names ``field`` and never echoes the
    character.
    """
    text = check_text(value, field=field, rule=rule, max_length=max_length)
    return refuse_invisible(text, field=field, rule=rule)


def validate_attachment(filename: str, size_bytes: int) -> None:
    """Refuse an attachment of another type or larger than 3 MB (INQ-2).

    >>> validate_attachment("error.PNG", 1024)
    """
    name = check_inquiry_text(filename, field="filename", rule="INQ-2", max_length=_MAX_NAME)
    if name != filename or not is_bare_file_name(name):
        msg = (
            f"filename {excerpt(name, _SHOWN)} must be a bare file name: no folder, drive, "
            "'..' or spaces around it"
        )
        raise ValidationError(msg, field="filename", rule="INQ-2", problem="file_name")
    if PurePosixPath(name).suffix.lower() not in ATTACHMENT_TYPES:
        kinds = ", ".join(sorted(t.lstrip(".") for t in ATTACHMENT_TYPES))
        msg = f"filename {name[:_SHOWN]!r} is not an accepted type ({kinds})"
        raise ValidationError(msg, field="filename", rule="INQ-2")
    size = check_int(size_bytes, "size_bytes")
    if not 0 < size <= ATTACHMENT_MAX_BYTES:
        msg = (
            f"an attachment must be 1 byte to 3 MB ({ATTACHMENT_MAX_BYTES} bytes), "
            f"not {excerpt(size)}"
        )
        raise ValidationError(msg, field="size_bytes", rule="INQ-2")


def attachment_purge_at(resolved_at: datetime) -> datetime:
    """Return when a resolved inquiry's attachments are deleted: six months on (INQ-2, CAL-6).

    >>> from datetime import datetime
    >>> from omakase_core.calendar import JST
    >>> attachment_purge_at(datetime(2026, 1, 30, 10, 0, tzinfo=JST)).isoformat()
    '2026-07-31T00:00:00+09:00'

    A naive or non-datetime ``resolved_at`` is refused naming ``resolved_at`` (SEC-2).
    """
    return period_end(to_jst(resolved_at, field="resolved_at"), months=6)
