"""The Connecure document charts (SUB-2, SUB-3): one chart per lifecycle variant.

Every transition belongs to the customer or to the operator (SUB-2). Event names are the
portal's buttons: ``submit`` (→ 提出済み), ``unsubmit`` (提出済み → 未提出), ``start_review``,
``send_back`` (差戻, a comment is required — checked by the service), ``receive`` (受領),
``accept`` (承諾), ``withdraw`` (取下げ), ``request_withdrawal`` / ``confirm_withdrawal``
(取下げ依頼中 and back to 未提出), ``publish_sheet`` (the parameter sheet is ready),
``complete_fields`` (→ 押印済変更申込書未提出) and ``ship`` (発送済).

Guards that need data (an uploaded file, a comment, "after 承諾 ask sales") live in the
service, not in the charts, so that each chart compiles into a pure table.

SEC-2: ``ApplicationFormChart(model, …)`` and the others, python-statemachine's own entry
(to draw a chart or replay events), check their arguments as every chart does (the core's
:class:`~omakase_core._charts.CheckedChart`): a start value is one of *that chart's*
statuses, never a plain value, a label or a status only other charts have.
"""

from __future__ import annotations

from typing import Final

from omakase_core._charts import CheckedChart
from omakase_core.lifecycle import Actor, Lifecycle, by, register, status_state
from omakase_core.submission.model import SiteStatus
from omakase_core.submission.model import SubmissionStatus as S

__all__ = [
    "SITE_LIFECYCLE",
    "SUBMISSION_LIFECYCLES",
    "ApplicationFormChart",
    "BillingCorrectionChart",
    "ChangeFormChart",
    "FaultContactsChart",
    "InstallationSuppliesChart",
    "LanParametersChart",
    "ReviewedChangeChart",
    "ShippingAddressChart",
    "SiteChart",
]

CUSTOMER: Final = by(Actor.CUSTOMER)
OPERATOR: Final = by(Actor.OPERATOR)


class ApplicationFormChart(CheckedChart[S]):
    """SUB-3(a): the sealed application form (押印済み利用申込書, 申込情報)."""

    sealed_form_pending = status_state(S.SEALED_FORM_PENDING, initial=True)
    submitted = status_state(S.SUBMITTED)
    under_review = status_state(S.UNDER_REVIEW)
    returned = status_state(S.RETURNED)
    received = status_state(S.RECEIVED)
    withdrawn = status_state(S.WITHDRAWN)
    accepted = status_state(S.ACCEPTED, final=True)

    submit = (
        sealed_form_pending.to(submitted, cond=CUSTOMER)
        | withdrawn.to(submitted, cond=CUSTOMER)
        | returned.to(submitted, cond=CUSTOMER)
    )
    start_review = submitted.to(under_review, cond=OPERATOR)
    send_back = under_review.to(returned, cond=OPERATOR)
    receive = under_review.to(received, cond=OPERATOR)
    accept = received.to(accepted, cond=OPERATOR)
    withdraw = submitted.to(withdrawn, cond=CUSTOMER) | under_review.to(withdrawn, cond=CUSTOMER)


class ShippingAddressChart(CheckedChart[S]):
    """SUB-3(b): the shipping address for equipment (機器及び備品の送付先情報)."""

    not_submitted = status_state(S.NOT_SUBMITTED, initial=True)
    submitted = status_state(S.SUBMITTED)
    under_review = status_state(S.UNDER_REVIEW)
    withdrawal_requested = status_state(S.WITHDRAWAL_REQUESTED)
    returned = status_state(S.RETURNED)
    accepted = status_state(S.ACCEPTED)
    shipped = status_state(S.SHIPPED, final=True)

    submit = not_submitted.to(submitted, cond=CUSTOMER) | returned.to(submitted, cond=CUSTOMER)
    unsubmit = submitted.to(not_submitted, cond=CUSTOMER)
    start_review = submitted.to(under_review, cond=OPERATOR)
    request_withdrawal = under_review.to(withdrawal_requested, cond=CUSTOMER)
    confirm_withdrawal = withdrawal_requested.to(not_submitted, cond=OPERATOR)
    send_back = under_review.to(returned, cond=OPERATOR)
    accept = under_review.to(accepted, cond=OPERATOR)
    ship = accepted.to(shipped, cond=OPERATOR)


class FaultContactsChart(CheckedChart[S]):
    """SUB-3(e) and (i): fault contacts (故障連絡先情報) — (b) without 発送済."""

    not_submitted = status_state(S.NOT_SUBMITTED, initial=True)
    submitted = status_state(S.SUBMITTED)
    under_review = status_state(S.UNDER_REVIEW)
    withdrawal_requested = status_state(S.WITHDRAWAL_REQUESTED)
    returned = status_state(S.RETURNED)
    accepted = status_state(S.ACCEPTED, final=True)

    submit = not_submitted.to(submitted, cond=CUSTOMER) | returned.to(submitted, cond=CUSTOMER)
    unsubmit = submitted.to(not_submitted, cond=CUSTOMER)
    start_review = submitted.to(under_review, cond=OPERATOR)
    request_withdrawal = under_review.to(withdrawal_requested, cond=CUSTOMER)
    confirm_withdrawal = withdrawal_requested.to(not_submitted, cond=OPERATOR)
    send_back = under_review.to(returned, cond=OPERATOR)
    accept = under_review.to(accepted, cond=OPERATOR)


class LanParametersChart(CheckedChart[S]):
    """SUB-3(c): customer LAN parameters — the operator prepares the sheet, then as (e)."""

    sheet_in_preparation = status_state(S.SHEET_IN_PREPARATION, initial=True)
    not_submitted = status_state(S.NOT_SUBMITTED)
    submitted = status_state(S.SUBMITTED)
    under_review = status_state(S.UNDER_REVIEW)
    withdrawal_requested = status_state(S.WITHDRAWAL_REQUESTED)
    returned = status_state(S.RETURNED)
    accepted = status_state(S.ACCEPTED, final=True)

    publish_sheet = sheet_in_preparation.to(not_submitted, cond=OPERATOR)
    submit = not_submitted.to(submitted, cond=CUSTOMER) | returned.to(submitted, cond=CUSTOMER)
    unsubmit = submitted.to(not_submitted, cond=CUSTOMER)
    start_review = submitted.to(under_review, cond=OPERATOR)
    request_withdrawal = under_review.to(withdrawal_requested, cond=CUSTOMER)
    confirm_withdrawal = withdrawal_requested.to(not_submitted, cond=OPERATOR)
    send_back = under_review.to(returned, cond=OPERATOR)
    accept = under_review.to(accepted, cond=OPERATOR)


class InstallationSuppliesChart(CheckedChart[S]):
    """SUB-3(d): equipment installation supplies (機器設置時の備品情報)."""

    not_submitted = status_state(S.NOT_SUBMITTED, initial=True)
    submitted = status_state(S.SUBMITTED)
    accepted = status_state(S.ACCEPTED, final=True)

    submit = not_submitted.to(submitted, cond=CUSTOMER)
    unsubmit = submitted.to(not_submitted, cond=CUSTOMER)
    accept = submitted.to(accepted, cond=OPERATOR)


class BillingCorrectionChart(CheckedChart[S]):
    """SUB-3(f): billing information correction (請求情報), starting 提出済み."""

    submitted = status_state(S.SUBMITTED, initial=True)
    under_review = status_state(S.UNDER_REVIEW)
    withdrawn = status_state(S.WITHDRAWN)
    accepted = status_state(S.ACCEPTED, final=True)

    start_review = submitted.to(under_review, cond=OPERATOR)
    accept = under_review.to(accepted, cond=OPERATOR)
    withdraw = submitted.to(withdrawn, cond=CUSTOMER) | under_review.to(withdrawn, cond=CUSTOMER)
    submit = withdrawn.to(submitted, cond=CUSTOMER)


class ReviewedChangeChart(CheckedChart[S]):
    """SUB-3(g): site name change (拠点名変更), monthly billing change (月額費用の請求情報変更)."""

    not_submitted = status_state(S.NOT_SUBMITTED, initial=True)
    submitted = status_state(S.SUBMITTED)
    under_review = status_state(S.UNDER_REVIEW)
    returned = status_state(S.RETURNED)
    withdrawn = status_state(S.WITHDRAWN)
    accepted = status_state(S.ACCEPTED, final=True)

    submit = (
        not_submitted.to(submitted, cond=CUSTOMER)
        | withdrawn.to(submitted, cond=CUSTOMER)
        | returned.to(submitted, cond=CUSTOMER)
    )
    start_review = submitted.to(under_review, cond=OPERATOR)
    send_back = under_review.to(returned, cond=OPERATOR)
    accept = under_review.to(accepted, cond=OPERATOR)
    withdraw = submitted.to(withdrawn, cond=CUSTOMER) | under_review.to(withdrawn, cond=CUSTOMER)


class ChangeFormChart(CheckedChart[S]):
    """SUB-3(h): contracting-company change (契約会社変更) and configuration change (設定変更)."""

    not_submitted = status_state(S.NOT_SUBMITTED, initial=True)
    sealed_change_form_pending = status_state(S.SEALED_CHANGE_FORM_PENDING)
    submitted = status_state(S.SUBMITTED)
    under_review = status_state(S.UNDER_REVIEW)
    returned = status_state(S.RETURNED)
    received = status_state(S.RECEIVED)
    withdrawn = status_state(S.WITHDRAWN)
    accepted = status_state(S.ACCEPTED, final=True)

    complete_fields = not_submitted.to(sealed_change_form_pending, cond=CUSTOMER)
    submit = (
        sealed_change_form_pending.to(submitted, cond=CUSTOMER)
        | withdrawn.to(submitted, cond=CUSTOMER)
        | returned.to(submitted, cond=CUSTOMER)
    )
    start_review = submitted.to(under_review, cond=OPERATOR)
    send_back = under_review.to(returned, cond=OPERATOR)
    receive = under_review.to(received, cond=OPERATOR)
    accept = received.to(accepted, cond=OPERATOR)
    withdraw = submitted.to(withdrawn, cond=CUSTOMER) | under_review.to(withdrawn, cond=CUSTOMER)


def _compile(name: str, chart: type[CheckedChart[S]]) -> Lifecycle[S]:
    return register(Lifecycle.compile(name, chart, S, rule="SUB-3", actor_rule="SUB-2"))


SUBMISSION_LIFECYCLES: Final[dict[str, Lifecycle[S]]] = {
    name: _compile(name, chart)
    for name, chart in (
        ("submission.application_form", ApplicationFormChart),
        ("submission.shipping_address", ShippingAddressChart),
        ("submission.lan_parameters", LanParametersChart),
        ("submission.installation_supplies", InstallationSuppliesChart),
        ("submission.fault_contacts", FaultContactsChart),
        ("submission.billing_correction", BillingCorrectionChart),
        ("submission.site_name_change", ReviewedChangeChart),
        ("submission.monthly_billing_change", ReviewedChangeChart),
        ("submission.company_change", ChangeFormChart),
        ("submission.configuration_change", ChangeFormChart),
        ("submission.fault_contact_change", FaultContactsChart),
    )
}
"""The eleven submission lifecycles by their ``LIFECYCLES`` key (SUB-3 (a) … (i))."""


# -- sites (SUB-5) ------------------------------------------------------------------------------

SYSTEM: Final = by(Actor.SYSTEM)


class SiteChart(CheckedChart[SiteStatus]):
    """SUB-5: an installed site (拠点), locked while a 拠点名変更 is open.

    Its moves follow the applications' (the library makes them, as the system): starting a
    拠点名変更 locks the site; its 承諾 renames the site and releases it; closing it unaccepted
    (SUB-16) releases it with the old name.
    """

    in_service = status_state(SiteStatus.IN_SERVICE, initial=True)
    renaming = status_state(SiteStatus.RENAMING)

    start_rename = in_service.to(renaming, cond=SYSTEM)
    rename = renaming.to(in_service, cond=SYSTEM)
    close_rename = renaming.to(in_service, cond=SYSTEM)


SITE_LIFECYCLE: Final[Lifecycle[SiteStatus]] = register(
    Lifecycle.compile("submission.site", SiteChart, SiteStatus, rule="SUB-5", actor_rule="SUB-2")
)
"""The installed site's lifecycle (SUB-5)."""
