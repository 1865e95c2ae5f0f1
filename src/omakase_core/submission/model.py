"""The vocabulary of Connecure applications: statuses, values, document kinds and events.

SUB-1 statuses, SUB-3 document kinds, SUB-4 change menus, SUB-7 site names, SUB-9 menus
and ASPs, SUB-10 construction steps and preferences, and the events the aggregates record
(PORT-3). Every enum-typed field refuses a plain string, a label, ``None`` or a member of
another enum with a :class:`~omakase_core.errors.ValidationError` naming the field (SEC-2).

Decisions (the seed leaves them open):

- SUB-9: the seed gives ベーシック "2–4" and ライト "1–2" connectable ASPs. We read the upper
  figure as the menu's limit (4 and 2) and "at least one ASP" as the lower bound for every
  menu. ライトミニマム and ライトモバイル are variants of ライト and share its limits.
- SUB-10: the seed says the optical access converter step is needed "depending on the
  menu" without naming the menus. We require it for ベーシック and ライト (fibre access) and
  not for ライトミニマム and ライトモバイル; it is one field of the menu table.
- SUB-10: "遅延日" is the latest (最遅) of a step's three preferences; bounds are calendar
  days; with 平日日中帯工事可 each preference is a business day with an AM or PM slot,
  without it each preference has a start time and the step is after-hours (extra fee).
- SUB-6: the one-time-fee billing target of a 設定変更 is a billing document following the
  monthly-billing-change lifecycle (g); it is a kind of its own, ``ONE_TIME_FEE_BILLING``.
- SUB-3(h): "required fields complete" means the kind's required details (the table
  ``REQUIRED_DETAILS``) are filled in; the same table lists what (b) needs before it can be
  submitted.
"""

from __future__ import annotations

import enum
import unicodedata
from datetime import date, datetime, time
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, Final, TypeVar

import attrs

from omakase_core._explain import rule_phrase
from omakase_core._validation import (
    INVISIBLE,
    StrictEnumType,
    check_text,
    refuse_invisible,
    require,
)
from omakase_core.calendar import format_date, to_jst
from omakase_core.calendar._jst import as_day
from omakase_core.codec import stored
from omakase_core.errors import ValidationError
from omakase_core.errors import excerpt as _excerpt
from omakase_core.events import Event
from omakase_core.lifecycle import LIFECYCLES, Actor, Lifecycle, Status
from omakase_core.principal import check_id

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "ASP",
    "DETAIL_NAMES",
    "REQUIRED_DETAILS",
    "ApplicationClosed",
    "ApplicationEvent",
    "ChangeMenu",
    "ConstructionCompleted",
    "DeadlineSet",
    "DocumentAdded",
    "DocumentDetailsUpdated",
    "DocumentKind",
    "DocumentStatusChanged",
    "FileUploaded",
    "Menu",
    "Preference",
    "ScheduleError",
    "ScheduleSet",
    "ScheduleViolation",
    "SiteAspsChanged",
    "SiteChangeStarted",
    "SiteEvent",
    "SiteFaultContactsChanged",
    "SiteFaultContactsScheduled",
    "SiteInstalled",
    "SiteName",
    "SiteRenameClosed",
    "SiteRenamed",
    "SiteStatus",
    "Slot",
    "Step",
    "SubmissionStatus",
    "UploadedFile",
]

E = TypeVar("E", bound=enum.Enum)


def excerpt(value: object) -> str:
    """Return how a message may show ``value``: a short excerpt of text, else its type (SEC-2)."""
    if isinstance(value, str):
        return repr(value[:20]) + ("…" if len(value) > 20 else "")  # the excerpt
    return type(value).__name__


def member(enum_type: type[E], field: str, rule: str | None = "SEC-2") -> Callable[[object], E]:
    """Return a converter that accepts only members of ``enum_type`` (SEC-2).

    A member's name or value as a string, its label, ``None`` and members of other enums
    are refused with a :class:`~omakase_core.errors.ValidationError` naming ``field``.
    """
    name = enum_type.__name__

    def check(value: object) -> E:
        if type(value) is enum_type:
            return value
        shown = (
            f"{type(value).__name__}.{value.name}"
            if isinstance(value, enum.Enum)
            else excerpt(value)
        )
        msg = (
            f"{field} must be a {name} member ({name}.{next(iter(enum_type)).name}, …), not {shown}"
        )
        raise ValidationError(msg, field=field, rule=rule)

    return check


def optional_member(
    enum_type: type[E], field: str, rule: str | None = "SEC-2"
) -> Callable[[object], E | None]:
    """Return a converter that accepts ``None`` or a member of ``enum_type`` (SEC-2)."""
    check = member(enum_type, field, rule)

    def check_optional(value: object) -> E | None:
        return None if value is None else check(value)

    return check_optional


# -- SUB-1: statuses ----------------------------------------------------------------------------


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


# -- SUB-9: menus and ASPs ----------------------------------------------------------------------


class Menu(enum.Enum, metaclass=StrictEnumType):
    """The Connecure menus and what each implies (SUB-3(b), (e), SUB-9, SUB-10)."""

    BASIC = "basic"
    LITE = "lite"
    LITE_MINIMUM = "lite_minimum"
    LITE_MOBILE = "lite_mobile"

    @property
    def label(self) -> str:
        """Return the portal's name of the menu."""
        return _MENU_TABLE[self][0]

    @property
    def asp_limit(self) -> int:
        """Return how many ASPs the menu may connect at most (SUB-9)."""
        return _MENU_TABLE[self][1]

    @property
    def needs_shipping_address(self) -> bool:
        """Return whether the menu ships equipment and so has document (b) (SUB-3(b))."""
        return _MENU_TABLE[self][2]

    @property
    def needs_converter(self) -> bool:
        """Return whether the menu has the optical access converter step (SUB-10)."""
        return _MENU_TABLE[self][3]

    @property
    def reports_faults_around_the_clock(self) -> bool:
        """Return whether the reporting-hours field (故障申告時間帯) applies (SUB-3(e))."""
        return self is Menu.BASIC


# label, ASP limit, shipping address, converter step
_MENU_TABLE: Final[dict[Menu, tuple[str, int, bool, bool]]] = {
    Menu.BASIC: ("ベーシック", 4, False, True),
    Menu.LITE: ("ライト", 2, False, True),
    Menu.LITE_MINIMUM: ("ライトミニマム", 2, True, False),
    Menu.LITE_MOBILE: ("ライトモバイル", 2, True, False),
}


class ASP(enum.Enum, metaclass=StrictEnumType):
    """The ASP services Connecure connects to (SUB-9's catalogue)."""

    ANSER_DATAPORT = "AnserDATAPORT"
    ANSER_DATAPORT_C = "AnserDATAPORT+C"
    SDS = "SDS"
    FRONTGATE = "フロントゲート"
    ZEDI = "ZEDI"
    OPENCANVAS_BUSINESS = "OpenCanvas業務"
    OPENCANVAS_MAINTENANCE_MITA = "OpenCanvas維持(三田)"
    OPENCANVAS_MAINTENANCE_DOJIMA = "OpenCanvas維持(堂島)"
    OPENCANVAS_TYPE_S_DOJIMA = "OpenCanvas Type-S(堂島)"

    @property
    def label(self) -> str:
        """Return the catalogue name."""
        return str(self.value)


# -- SUB-7: site names --------------------------------------------------------------------------

_MAX_SITE_PART: Final = 12


def _half_width_ascii_only(value: str) -> bool:
    """Return whether no letter, digit or symbol is written full-width (ＡＢＣ１２３！)."""
    for ch in value:
        if ch.isascii():
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if folded.isascii() and folded.strip():
            return False
    return True


def check_line(value: object, *, field: str, rule: str | None, max_length: int) -> str:
    """Return ``value`` stripped if it is one line of visible text (SUB-14 amended).

    As :func:`~omakase_core._validation.check_text` (text, not blank, at most
    ``max_length``), and no control or formatting character anywhere: the refusal names
    ``field`` and SUB-14, and never echoes the character.
    """
    text = check_text(value, field=field, rule=rule, max_length=max_length)
    return refuse_invisible(text, field=field, rule="SUB-14")  # they end up in file names


def check_site_part(value: object, field: str) -> str:
    """Return one part of a site name if SUB-7 allows it; ``field`` names the part."""
    if not isinstance(value, str) or not value.strip():
        msg = f"{field} is required"
        raise ValidationError(msg, field=field, rule="SUB-7")
    if value != value.strip():
        msg = f"{field} must not start or end with spaces"
        raise ValidationError(msg, field=field, rule="SUB-7")
    if len(value) > _MAX_SITE_PART:
        msg = f"{field} must be at most {_MAX_SITE_PART} characters, not {len(value)}"
        raise ValidationError(msg, field=field, rule="SUB-7")
    if any(unicodedata.category(ch) in INVISIBLE for ch in value):
        msg = f"{field} must not contain control or formatting characters or line breaks"
        raise ValidationError(msg, field=field, rule="SUB-14")
    if not _half_width_ascii_only(value):
        msg = f"{field} {value!r} writes letters, digits or symbols full-width; use half-width"
        raise ValidationError(msg, field=field, rule="SUB-7")
    return value


def _abbrev(value: str) -> str:  # annotated as the field: attrs gives __init__ this type
    return check_site_part(value, "company_abbrev")


def _location(value: str) -> str:
    return check_site_part(value, "location")


@attrs.frozen(kw_only=True)
class SiteName:
    """A site's name (拠点名, SUB-7): company abbreviation and location, shown as 略称(場所)."""

    company_abbrev: str = attrs.field(converter=_abbrev)
    location: str = attrs.field(converter=_location)

    def __str__(self) -> str:
        return f"{self.company_abbrev}({self.location})"


def _file_name(value: str) -> str:
    return check_line(value, field="name", rule="SUB-3", max_length=300)


def _uploaded_at(value: datetime) -> datetime:
    return to_jst(value, field="uploaded_at")


@attrs.frozen(kw_only=True)
class UploadedFile:
    """A file the customer uploaded to a document; ``name`` is the name stored."""

    name: str = attrs.field(converter=_file_name)
    uploaded_at: datetime = attrs.field(converter=_uploaded_at)


# -- SUB-10: construction steps and preferences -------------------------------------------------


class Step(enum.Enum, metaclass=StrictEnumType):
    """The construction steps of a new installation, in order (SUB-10)."""

    SITE_SURVEY = "site_survey"
    LINE_WORK = "line_work"
    CONVERTER = "converter"
    ROUTER = "router"

    @property
    def label(self) -> str:
        """Return the portal's name of the step."""
        return _STEP_LABELS[self]


_STEP_LABELS: Final = {
    Step.SITE_SURVEY: "現地調査",
    Step.LINE_WORK: "回線工事",
    Step.CONVERTER: "光アクセスコンバータ設置",
    Step.ROUTER: "ルーター工事",
}


class Slot(enum.Enum, metaclass=StrictEnumType):
    """A weekday-daytime slot (平日日中帯, 8:00-18:00): morning or afternoon (SUB-10)."""

    AM = "AM"
    PM = "PM"


def _preference_day(value: date) -> date:
    return as_day(value, "day")


def _slot(value: Slot | None) -> Slot | None:
    return _OPTIONAL_SLOT(value)


_OPTIONAL_SLOT: Final = optional_member(Slot, "slot")


def _starts_at(value: time | None) -> time | None:
    if value is None:
        return None
    return require(value, time, field="starts_at", rule="SUB-10", what="a time of day or None")


@attrs.frozen(kw_only=True)
class Preference:
    """One preferred date of a step: an AM/PM ``slot`` or, after hours, a ``starts_at``."""

    day: date = attrs.field(converter=_preference_day)
    slot: Slot | None = attrs.field(default=None, converter=_slot)
    starts_at: time | None = attrs.field(default=None, converter=_starts_at)


def _violation_number(value: int) -> int:
    number = require(value, int, field="preference", rule="SUB-10", what="1, 2 or 3")
    if not 1 <= number <= 3:  # three preferences per step
        msg = f"preference must be 1, 2 or 3, not {_excerpt(number)}"
        raise ValidationError(msg, field="preference", rule="SUB-10")
    return number


def _step(value: Step) -> Step:
    return _STEP(value)


_STEP: Final = member(Step, "step")


def _earliest(value: date) -> date:
    return as_day(value, "earliest")


def _reason(value: str) -> str:
    return check_line(value, field="reason", rule="SUB-10", max_length=200)


@attrs.frozen(kw_only=True)
class ScheduleViolation:
    """One preferred date that breaks SUB-10: which step, which preference (1-3), why."""

    step: Step = attrs.field(converter=_step)
    preference: int = attrs.field(converter=_violation_number)
    day: date = attrs.field(converter=_preference_day)
    earliest: date = attrs.field(converter=_earliest)
    reason: str = attrs.field(converter=_reason)

    def __str__(self) -> str:
        return (
            f"{self.step.label} preference {self.preference} ({self.day.isoformat()}) "
            f"{self.reason}; the earliest allowed date is {self.earliest.isoformat()}"
        )


class ScheduleError(ValidationError):
    """A construction schedule breaks SUB-10; ``violations`` lists every broken preference."""

    violations: tuple[ScheduleViolation, ...]

    def __init__(self, violations: tuple[ScheduleViolation, ...]) -> None:
        given: object = violations  # callers are not always type-checked
        if (
            not isinstance(given, tuple)
            or not given
            or not all(isinstance(v, ScheduleViolation) for v in given)
        ):
            msg = "violations must be a non-empty tuple of ScheduleViolation values"
            raise ValidationError(msg, field="violations", rule="SUB-10")
        self.violations = violations
        first = violations[0]
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        super().__init__(f"{first}{more}", field=first.step.value, rule="SUB-10")

    def _explain_ja(self) -> str:
        """Name the first broken preference and the earliest day allowed (SUB-10)."""
        first = self.violations[0]
        more = f"（ほか{len(self.violations) - 1}件）" if len(self.violations) > 1 else ""
        return (
            f"{rule_phrase(self.rule)}: {first.step.label}の第{first.preference}希望日"
            f"（{format_date(first.day)}）は選べません{more}。{_instead_ja(first)}"
        )


def _instead_ja(violation: ScheduleViolation) -> str:
    """Say what to choose instead of a broken preference (SUB-10)."""
    if violation.reason.startswith("is too early"):
        return f"{format_date(violation.earliest)}以降の日を選んでください。"
    if violation.reason.startswith("is not a business day"):
        return "平日日中の工事は営業日を選んでください。"
    return "時間帯（午前・午後、または開始時刻）の指定を確認してください。"


# -- SUB-3, SUB-4, SUB-6, SUB-8: documents and change menus -------------------------------------


class DocumentKind(enum.Enum, metaclass=StrictEnumType):
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
    CHANGE_PARAMETER_SHEET = "change_parameter_sheet"
    """The parameter sheet of a 設定変更 (「変更するパラメータシートの提出」, SUB-17), like (c)."""

    @property
    def label(self) -> str:
        """Return the portal's name of the document."""
        return _KIND_TABLE[self][0]

    @property
    def is_parameter_sheet(self) -> bool:
        """Return whether the document is a parameter sheet: (c) or a 設定変更's (SUB-17)."""
        return self in (DocumentKind.LAN_PARAMETERS, DocumentKind.CHANGE_PARAMETER_SHEET)

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
    DocumentKind.CHANGE_PARAMETER_SHEET: ("変更するパラメータシート", "lan_parameters", True),
}
_LIFECYCLE_OF: dict[DocumentKind, Lifecycle[SubmissionStatus]] = {}
_WITH_LETTER: Final = frozenset(
    {DocumentKind.APPLICATION_FORM, DocumentKind.COMPANY_CHANGE, DocumentKind.CONFIGURATION_CHANGE}
)

_BILLING_DETAILS: Final = ("payment_method", "company_name", "contact_name", "email")
"""What a billing change needs (支払方法, 会社名, 担当者名, メールアドレス): never empty."""

REQUIRED_DETAILS: Final[Mapping[DocumentKind, tuple[str, ...]]] = MappingProxyType(
    {
        DocumentKind.SHIPPING_ADDRESS: (
            "arrival_date",
            "arrival_time_slot",
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
        DocumentKind.MONTHLY_BILLING_CHANGE: _BILLING_DETAILS,
        DocumentKind.ONE_TIME_FEE_BILLING: _BILLING_DETAILS,
    }
)
"""Details a document needs before the customer can move it on (SUB-3 (b), (g), (h))."""

_NOTE: Final = ("note",)
"""A remark (備考), which every document takes."""
_CONTRACTOR: Final = (
    "company_type",
    "company_type_position",
    "company_name",
    "company_name_kana",
    "department",
    "department_kana",
    "corporate_number",
)
"""契約者情報: 会社種別, 種別前後, 会社名, 会社名（カナ）, 部署名, 部署名（カナ）, 法人番号."""
_BILLING: Final = (*_BILLING_DETAILS, "bank_name", "company_type", "department", *_NOTE)
"""請求情報: 支払方法, 自動口座振替先金融機関名, 会社種別, 会社名, 部署名, 担当者名,
メールアドレス."""

_INSTALLATION_PLACE: Final = (
    "postal_code",
    "prefecture",
    "city",
    "street",
    "building",
    "floor",
    "room",
    "phone",
)
"""機器設置場所: 郵便番号, 都道府県, 市区町村, 番地, 建物名, フロア, 部屋名, 同ビル内の
別電話番号."""

DETAIL_NAMES: Final[Mapping[DocumentKind, frozenset[str]]] = MappingProxyType(
    {
        DocumentKind.APPLICATION_FORM: frozenset(_NOTE),
        DocumentKind.SHIPPING_ADDRESS: frozenset(
            (*REQUIRED_DETAILS[DocumentKind.SHIPPING_ADDRESS], "building", *_NOTE)
        ),
        DocumentKind.LAN_PARAMETERS: frozenset(_NOTE),
        DocumentKind.INSTALLATION_SUPPLIES: frozenset(
            (
                *_INSTALLATION_PLACE,
                "rack_mount",
                "lan_cable_main",
                "lan_cable_backup",
                "lan_cable_between_routers",
                "ladder",
                *_NOTE,
            )
        ),
        DocumentKind.FAULT_CONTACTS: frozenset(_NOTE),
        DocumentKind.BILLING_CORRECTION: frozenset(_BILLING),
        DocumentKind.SITE_NAME_CHANGE: frozenset(
            (*REQUIRED_DETAILS[DocumentKind.SITE_NAME_CHANGE], *_NOTE)
        ),
        DocumentKind.MONTHLY_BILLING_CHANGE: frozenset(_BILLING),
        DocumentKind.ONE_TIME_FEE_BILLING: frozenset(_BILLING),
        DocumentKind.COMPANY_CHANGE: frozenset((*_CONTRACTOR, *_NOTE)),
        DocumentKind.CONFIGURATION_CHANGE: frozenset(("change_details", *_CONTRACTOR, *_NOTE)),
        DocumentKind.FAULT_CONTACT_CHANGE: frozenset(_NOTE),
        DocumentKind.CHANGE_PARAMETER_SHEET: frozenset(_NOTE),
    }
)
"""Every detail a document takes (SUB-3, SUB-14): its required ones and the optional ones.

A name not listed for a kind is refused when the customer fills it in (fail-closed); the
format of each is in ``rules.py``. Fault contacts are not details: they are
:class:`~omakase_core.submission.FaultContacts`.
"""


class ChangeMenu(enum.Enum, metaclass=StrictEnumType):
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


# -- events (PORT-3) ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ApplicationEvent(Event):
    """Base of the application events; ``contact_email`` is the customer's portal contact.

    The fields of every event are checked when it is built (SEC-2): an event decoded from
    storage or built by hand carries enum members, never plain strings; text where text
    belongs (``None`` only where it is optional) and dates, not datetimes, where days belong.
    """

    aggregate_type: ClassVar[str] = "application"
    _enum_fields: ClassVar[tuple[tuple[str, type[enum.Enum]], ...]] = ()
    _text_fields: ClassVar[tuple[tuple[str, bool], ...]] = ()
    """(name, optional) of the event's text fields beyond ``contact_email``."""
    _day_fields: ClassVar[tuple[str, ...]] = ()

    site: SiteName
    contact_email: str

    def __attrs_post_init__(self) -> None:
        if type(self.site) is not SiteName:
            require(self.site, SiteName, field="site", rule="SEC-2", what="a SiteName")
        for name, enum_type in self._enum_fields:
            value = getattr(self, name)
            if type(value) is not enum_type:
                member(enum_type, name)(value)
        for name, optional in (("contact_email", False), *self._text_fields):
            value = getattr(self, name)
            if type(value) is not str and not (optional and value is None):
                what = "text or None" if optional else "text"
                msg = f"{name} must be {what}, not {type(value).__name__}"
                raise ValidationError(msg, field=name, rule="PORT-3")
        for name in self._day_fields:
            value = getattr(self, name)
            if type(value) is not date:
                msg = f"{name} must be a date (a calendar day), not {type(value).__name__}"
                raise ValidationError(msg, field=name, rule="PORT-3")


@stored("submission.DocumentStatusChanged")
@attrs.frozen(kw_only=True)
class DocumentStatusChanged(ApplicationEvent):
    """``actor`` sent ``event``: the document went from ``source`` to ``target`` (SUB-3)."""

    _enum_fields: ClassVar[tuple[tuple[str, type[enum.Enum]], ...]] = (
        ("kind", DocumentKind),
        ("source", SubmissionStatus),
        ("target", SubmissionStatus),
        ("actor", Actor),
    )
    _text_fields: ClassVar[tuple[tuple[str, bool], ...]] = (("event", False), ("comment", True))

    kind: DocumentKind
    event: str
    source: SubmissionStatus
    target: SubmissionStatus
    actor: Actor
    comment: str | None = None

    def __attrs_post_init__(self) -> None:
        # The hot path of every command: one chained check, the loop only to name the field.
        if (
            type(self.site) is not SiteName
            or type(self.kind) is not DocumentKind
            or type(self.source) is not SubmissionStatus
            or type(self.target) is not SubmissionStatus
            or type(self.actor) is not Actor
            or type(self.event) is not str
            or type(self.contact_email) is not str
            or (self.comment is not None and type(self.comment) is not str)
        ):
            super().__attrs_post_init__()


_KIND_ONLY: Final[tuple[tuple[str, type[enum.Enum]], ...]] = (("kind", DocumentKind),)


@stored("submission.FileUploaded")
@attrs.frozen(kw_only=True)
class FileUploaded(ApplicationEvent):
    """The customer uploaded a file, stored as ``file_name`` (SUB-3 (a), (c), (h))."""

    _enum_fields: ClassVar[tuple[tuple[str, type[enum.Enum]], ...]] = _KIND_ONLY
    _text_fields: ClassVar[tuple[tuple[str, bool], ...]] = (("file_name", False),)

    kind: DocumentKind
    file_name: str


@stored("submission.DocumentDetailsUpdated")
@attrs.frozen(kw_only=True)
class DocumentDetailsUpdated(ApplicationEvent):
    """The customer filled in details or contacts of a document."""

    _enum_fields: ClassVar[tuple[tuple[str, type[enum.Enum]], ...]] = _KIND_ONLY

    kind: DocumentKind


@stored("submission.DocumentAdded")
@attrs.frozen(kw_only=True)
class DocumentAdded(ApplicationEvent):
    """A document joined the application (the billing correction of SUB-3(f))."""

    _enum_fields: ClassVar[tuple[tuple[str, type[enum.Enum]], ...]] = _KIND_ONLY

    kind: DocumentKind


@stored("submission.DeadlineSet")
@attrs.frozen(kw_only=True)
class DeadlineSet(ApplicationEvent):
    """The operator set a document's submission deadline (提出締切日)."""

    _enum_fields: ClassVar[tuple[tuple[str, type[enum.Enum]], ...]] = _KIND_ONLY
    _day_fields: ClassVar[tuple[str, ...]] = ("deadline",)

    kind: DocumentKind
    deadline: date


@stored("submission.ScheduleSet")
@attrs.frozen(kw_only=True)
class ScheduleSet(ApplicationEvent):
    """The customer gave the construction preferences (SUB-10)."""


@stored("submission.ConstructionCompleted")
@attrs.frozen(kw_only=True)
class ConstructionCompleted(ApplicationEvent):
    """Router installation completed; billing starts the month after (SUB-12)."""

    _day_fields: ClassVar[tuple[str, ...]] = ("completed_on", "first_billing_month")

    completed_on: date
    first_billing_month: date


@stored("submission.ApplicationClosed")
@attrs.frozen(kw_only=True)
class ApplicationClosed(ApplicationEvent):
    """``actor`` closed (取消) the application; closing is terminal (SUB-16)."""

    _enum_fields: ClassVar[tuple[tuple[str, type[enum.Enum]], ...]] = (("actor", Actor),)

    actor: Actor


# -- sites (SUB-5) ------------------------------------------------------------------------------


class SiteStatus(Status):
    """An installed site's status (SUB-5); ``.label`` is the portal's word."""

    IN_SERVICE = "in_service", "利用中"
    RENAMING = "renaming", "拠点名変更中"


@attrs.frozen(kw_only=True)
class SiteEvent(Event):
    """Base of an installed site's events (SUB-5): no notice is sent for any of them.

    ``application_id`` names the application that caused the event.
    """

    aggregate_type: ClassVar[str] = "site"

    application_id: str

    def __attrs_post_init__(self) -> None:
        check_id(self.application_id, field="application_id")
        for name in self._site_name_fields:
            require(getattr(self, name), SiteName, field=name, rule="SEC-2", what="a SiteName")

    _site_name_fields: ClassVar[tuple[str, ...]] = ()


@stored("submission.SiteInstalled")
@attrs.frozen(kw_only=True)
class SiteInstalled(SiteEvent):
    """The new installation ``application_id`` is complete: the site is in service (SUB-5)."""

    _site_name_fields: ClassVar[tuple[str, ...]] = ("site_name",)

    site_name: SiteName


@stored("submission.SiteChangeStarted")
@attrs.frozen(kw_only=True)
class SiteChangeStarted(SiteEvent):
    """The change application ``application_id`` was started for the site (SUB-5).

    A 拠点名変更 locks the site until it is 承諾 or closed (SUB-16).
    """

    change_menu: ChangeMenu

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if type(self.change_menu) is not ChangeMenu:
            member(ChangeMenu, "change_menu")(self.change_menu)


@stored("submission.SiteRenamed")
@attrs.frozen(kw_only=True)
class SiteRenamed(SiteEvent):
    """The 拠点名変更 ``application_id`` was 承諾: ``previous`` free, ``new_name`` taken (SUB-5)."""

    _site_name_fields: ClassVar[tuple[str, ...]] = ("previous", "new_name")

    previous: SiteName
    new_name: SiteName


@stored("submission.SiteRenameClosed")
@attrs.frozen(kw_only=True)
class SiteRenameClosed(SiteEvent):
    """The 拠点名変更 ``application_id`` was closed unaccepted: the lock is released (SUB-16)."""


@stored("submission.SiteAspsChanged")
@attrs.frozen(kw_only=True)
class SiteAspsChanged(SiteEvent):
    """The 設定変更 ``application_id`` was 承諾: ``asps`` are the site's ASPs now (SUB-5, SUB-6)."""

    asps: tuple[ASP, ...]

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        asps: object = self.asps
        if not isinstance(asps, tuple) or not asps or not all(type(a) is ASP for a in asps):
            msg = f"asps must be a non-empty tuple of ASP members, not {excerpt(asps)}"
            raise ValidationError(msg, field="asps", rule="SEC-2")


@stored("submission.SiteFaultContactsScheduled")
@attrs.frozen(kw_only=True)
class SiteFaultContactsScheduled(SiteEvent):
    """The fault-contact change ``application_id`` was 承諾 with a later change date.

    The site keeps its contacts until ``effective_on`` (JST), when the sweep gives it the
    new ones (SUB-3(i), SUB-5). The event names the change and the day, not the contacts:
    they are personal data, kept in the site, not in the outbox.
    """

    effective_on: date

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_effective_on(self.effective_on)


@stored("submission.SiteFaultContactsChanged")
@attrs.frozen(kw_only=True)
class SiteFaultContactsChanged(SiteEvent):
    """The site took the fault contacts of the change ``application_id`` on ``effective_on``.

    On the change's 承諾 when it had no change date or one already come, else by the sweep
    on that date (SUB-3(i), SUB-5). The contacts themselves are in the site.
    """

    effective_on: date

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_effective_on(self.effective_on)


def _check_effective_on(value: object) -> None:
    if type(value) is not date:
        msg = f"effective_on must be a date (a calendar day), not {type(value).__name__}"
        raise ValidationError(msg, field="effective_on", rule="PORT-3")
