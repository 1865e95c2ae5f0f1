"""The Connecure document statuses (SUB-1): stable English ids, the portal's Japanese labels."""

from __future__ import annotations

from omakase_core.lifecycle import Status

__all__ = ["SubmissionStatus"]


class SubmissionStatus(Status):
    """Every status a Connecure document can have (SUB-1); ``.label`` is the portal's word."""

    NOT_SUBMITTED = "not_submitted", "未提出"
    SEALED_FORM_PENDING = "sealed_form_pending", "押印済み利用申込書未提出"
    SEALED_CHANGE_FORM_PENDING = "sealed_change_form_pending", "押印済変更申込書未提出"
    SHEET_IN_PREPARATION = "sheet_in_preparation", "NTTデータにてパラメータシート準備中"
    SUBMITTED = "submitted", "提出済み"
    UNDER_REVIEW = "under_review", "NTTデータにて申込内容確認中"
    WITHDRAWN = "withdrawn", "取下げ"
    WITHDRAWAL_REQUESTED = "withdrawal_requested", "取下げ依頼中"
    RETURNED = "returned", "差戻"
    RECEIVED = "received", "受領"
    ACCEPTED = "accepted", "承諾"
    SHIPPED = "shipped", "発送済"
