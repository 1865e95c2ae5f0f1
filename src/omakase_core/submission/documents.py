"""Documents, their kinds and contents, and the change menus (SUB-3 … SUB-6, SUB-8).

Decisions (the seed leaves them open):

- SUB-6: the one-time-fee billing target of a 設定変更 is a billing document following the
  monthly-billing-change lifecycle (g); it is a kind of its own, ``ONE_TIME_FEE_BILLING``.
- SUB-3(h): "required fields complete" means the kind's required details (the table
  ``REQUIRED_DETAILS``) are filled in; the same table lists what (b) needs before it can be
  submitted.
- A document is *done* once 承諾 or later (発送済); until then it waits on the operator,
  except in the statuses where only the customer can move it on (未提出, 押印済…未提出,
  差戻, 取下げ).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from omakase_core._validation import check_email, check_text
from omakase_core.lifecycle import LIFECYCLES, Actor, Lifecycle
from omakase_core.submission.fields import validate_floor, validate_phone, validate_postal_code
from omakase_core.submission.model import UploadedFile, site_name_part
from omakase_core.submission.status import SubmissionStatus

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "REQUIRED_DETAILS",
    "ChangeMenu",
    "Contact",
    "Document",
    "DocumentKind",
    "FaultContacts",
]

S = SubmissionStatus


class DocumentKind(enum.Enum):
    """Every document a Connecure application can hold; the value names its lifecycle."""

    APPLICATION_FORM = "application_form"
    SHIPPING_ADDRESS = "shipping_address"
    LAN_PARAMETERS = "lan_parameters"
    INSTALLATION_SUPPLIES = "installation_supplies"
    FAULT_CONTACTS = "fault_contacts"
    BILLING_CORRECTION = "billing_correction"
    SITE_NAME_CHANGE = "site_name_change"
    MONTHLY_BILLING_CHANGE = "monthly_billing_change"
    ONE_TIME_FEE_BILLING = "one_time_fee_billing"
    COMPANY_CHANGE = "company_change"
    CONFIGURATION_CHANGE = "configuration_change"
    FAULT_CONTACT_CHANGE = "fault_contact_change"

    @property
    def label(self) -> str:
        """Return the portal's name of the document."""
        return _KIND_TABLE[self][0]

    @property
    def lifecycle(self) -> Lifecycle[SubmissionStatus]:
        """Return the lifecycle the document follows (SUB-3)."""
        lifecycle = _LIFECYCLE_OF.get(self)
        if lifecycle is None:
            lifecycle = _LIFECYCLE_OF[self] = LIFECYCLES[f"submission.{_KIND_TABLE[self][1]}"]
        return lifecycle

    __hash__ = object.__hash__  # members are singletons: identity hashing is exact and fast

    @property
    def needs_upload(self) -> bool:
        """Return whether submitting needs an uploaded file (SUB-3 (a), (c), (h))."""
        return _KIND_TABLE[self][2]

    @property
    def has_acceptance_letter(self) -> bool:
        """Return whether 承諾 makes a 利用承諾書 downloadable (SUB-3 (a), (h))."""
        return self in _WITH_LETTER

    @property
    def has_fault_contacts(self) -> bool:
        """Return whether the document carries fault contacts (SUB-3 (e), (i))."""
        return self in (DocumentKind.FAULT_CONTACTS, DocumentKind.FAULT_CONTACT_CHANGE)


# label, lifecycle, needs an upload to submit
_KIND_TABLE: Final[dict[DocumentKind, tuple[str, str, bool]]] = {
    DocumentKind.APPLICATION_FORM: ("申込情報（押印済み利用申込書）", "application_form", True),
    DocumentKind.SHIPPING_ADDRESS: ("機器及び備品の送付先情報", "shipping_address", False),
    DocumentKind.LAN_PARAMETERS: ("お客様LAN側のパラメータ情報", "lan_parameters", True),
    DocumentKind.INSTALLATION_SUPPLIES: ("機器設置時の備品情報", "installation_supplies", False),
    DocumentKind.FAULT_CONTACTS: ("故障連絡先情報", "fault_contacts", False),
    DocumentKind.BILLING_CORRECTION: ("請求情報", "billing_correction", False),
    DocumentKind.SITE_NAME_CHANGE: ("拠点名変更", "site_name_change", False),
    DocumentKind.MONTHLY_BILLING_CHANGE: ("月額費用の請求情報", "monthly_billing_change", False),
    DocumentKind.ONE_TIME_FEE_BILLING: ("一時費用の請求情報", "monthly_billing_change", False),
    DocumentKind.COMPANY_CHANGE: ("契約会社変更", "company_change", True),
    DocumentKind.CONFIGURATION_CHANGE: ("設定変更の申込情報", "configuration_change", True),
    DocumentKind.FAULT_CONTACT_CHANGE: ("故障連絡先変更", "fault_contact_change", False),
}
_LIFECYCLE_OF: dict[DocumentKind, Lifecycle[SubmissionStatus]] = {}
_WITH_LETTER: Final = frozenset(
    {DocumentKind.APPLICATION_FORM, DocumentKind.COMPANY_CHANGE, DocumentKind.CONFIGURATION_CHANGE}
)

REQUIRED_DETAILS: Final[Mapping[DocumentKind, tuple[str, ...]]] = MappingProxyType(
    {
        DocumentKind.SHIPPING_ADDRESS: (
            "arrival_date",
            "postal_code",
            "prefecture",
            "city",
            "street",
            "floor",
            "recipient",
        ),
        DocumentKind.COMPANY_CHANGE: (
            "company_type",
            "company_name",
            "company_name_kana",
            "corporate_number",
        ),
        DocumentKind.CONFIGURATION_CHANGE: ("change_details",),
        DocumentKind.SITE_NAME_CHANGE: ("company_abbrev", "location"),
    }
)
"""Details a document needs before the customer can move it on (SUB-3 (b), (h))."""

_DETAIL_CHECKS: Final[dict[str, Callable[[str], str]]] = {
    "postal_code": validate_postal_code,
    "floor": validate_floor,
    "company_abbrev": site_name_part("company_abbrev"),
    "location": site_name_part("location"),
}

_CUSTOMER_TURN: Final = frozenset(
    {S.NOT_SUBMITTED, S.SEALED_FORM_PENDING, S.SEALED_CHANGE_FORM_PENDING, S.RETURNED, S.WITHDRAWN}
)
_DONE: Final = frozenset({S.ACCEPTED, S.SHIPPED})


class ChangeMenu(enum.Enum):
    """The change applications a customer may ask for (SUB-4)."""

    SITE_NAME_CHANGE = "site_name_change"
    COMPANY_CHANGE = "company_change"
    MONTHLY_BILLING_CHANGE = "monthly_billing_change"
    CONFIGURATION_CHANGE = "configuration_change"
    FAULT_CONTACT_CHANGE = "fault_contact_change"
    MENU_CHANGE = "menu_change"
    LOCATION_CHANGE = "location_change"
    CANCELLATION = "cancellation"

    @property
    def label(self) -> str:
        """Return the portal's name of the menu."""
        return _CHANGE_LABELS[self]

    @property
    def accepted_through_portal(self) -> bool:
        """Return whether the portal takes this change (SUB-4); the others go through sales."""
        return self not in _THROUGH_SALES


_CHANGE_LABELS: Final = {
    ChangeMenu.SITE_NAME_CHANGE: "拠点名変更",
    ChangeMenu.COMPANY_CHANGE: "契約会社変更",
    ChangeMenu.MONTHLY_BILLING_CHANGE: "月額費用の請求情報変更",
    ChangeMenu.CONFIGURATION_CHANGE: "設定変更",
    ChangeMenu.FAULT_CONTACT_CHANGE: "故障連絡先変更",
    ChangeMenu.MENU_CHANGE: "メニュー変更",
    ChangeMenu.LOCATION_CHANGE: "設置場所変更",
    ChangeMenu.CANCELLATION: "廃止",
}
_THROUGH_SALES: Final = frozenset(
    {ChangeMenu.MENU_CHANGE, ChangeMenu.LOCATION_CHANGE, ChangeMenu.CANCELLATION}
)


def _required(value: object, field: str) -> str:
    return check_text(value, field=field, rule="SUB-3", max_length=100)


def _company(value: object) -> str:
    return _required(value, "company")


def _department(value: object) -> str:
    return _required(value, "department")


def _name(value: object) -> str:
    return _required(value, "name")


def _phone(value: object) -> str:
    return validate_phone(value)  # type: ignore[arg-type]  # validate_phone checks the type


def _email(value: object) -> str:
    return check_email(value, field="email", rule="SUB-3")


@attrs.frozen(kw_only=True)
class Contact:
    """One fault contact: company, department, person, phone and e-mail (SUB-3(e))."""

    company: str = attrs.field(converter=_company)
    department: str = attrs.field(converter=_department)
    name: str = attrs.field(converter=_name)
    phone: str = attrs.field(converter=_phone)
    email: str = attrs.field(converter=_email)


@attrs.frozen(kw_only=True)
class FaultContacts:
    """The fault contacts of a site (SUB-3(e)): the first required, the second optional.

    ``reporting_hours`` (故障申告時間帯) may be given for the ベーシック menu only; the
    application checks that.
    """

    first: Contact
    second: Contact | None = None
    reporting_hours: str | None = None


@attrs.frozen(kw_only=True)
class Document:
    """One document of an application: its kind, status and what the customer gave.

    ``uploads`` keeps every upload; the latest is the one in force (SUB-3(c)).
    ``comment`` is the operator's latest comment (required with 差戻). ``deadline`` is the
    submission deadline (提出締切日) the operator set, if any.
    """

    kind: DocumentKind
    status: SubmissionStatus
    uploads: tuple[UploadedFile, ...] = ()
    details: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    contacts: FaultContacts | None = None
    change_date: date | None = None
    comment: str | None = None
    deadline: date | None = None
    accepted_at: datetime | None = None

    @classmethod
    def new(cls, kind: DocumentKind) -> Document:
        """Return the document in its lifecycle's initial status."""
        return cls(kind=kind, status=kind.lifecycle.initial)

    @property
    def current_file(self) -> UploadedFile | None:
        """Return the upload in force: the latest one (SUB-3(c))."""
        return self.uploads[-1] if self.uploads else None

    @property
    def done(self) -> bool:
        """Return whether the document is 承諾 (or later)."""
        return self.status in _DONE

    @property
    def acceptance_letter_available(self) -> bool:
        """Return whether the 利用承諾書 can be downloaded (SUB-3(a), (h))."""
        return self.kind.has_acceptance_letter and self.status is S.ACCEPTED

    @property
    def waiting_on(self) -> Actor | None:
        """Return who has to act next, or ``None`` once nothing is left to do."""
        lifecycle = self.kind.lifecycle
        if lifecycle.is_final(self.status):
            return None
        if self.status in _CUSTOMER_TURN:
            return Actor.CUSTOMER
        return Actor.OPERATOR

    def missing_details(self) -> tuple[str, ...]:
        """Return the required details not filled in yet (SUB-3 (b), (h))."""
        return tuple(
            name for name in REQUIRED_DETAILS.get(self.kind, ()) if not self.details.get(name)
        )


def check_details(details: Mapping[str, Any]) -> dict[str, str]:
    """Return ``details`` as trimmed text, each known format checked (SUB-14)."""
    checked: dict[str, str] = {}
    for name, value in details.items():
        text = check_text(value, field=name, rule="SUB-3", max_length=500)
        check = _DETAIL_CHECKS.get(name)
        checked[name] = check(text) if check is not None else text
    return checked
