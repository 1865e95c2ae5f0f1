"""Valid calls of OCN's public callables: the baselines the bad values replace (SEC-2).

One :class:`~tests.bad_input.spec.Case` per callable of :mod:`omakase_core.ocn` and its
modules (OCN-1 … OCN-5). Each service case builds fresh in-memory ports (the ``instance``
is built anew for every bad value) with ocn-1 in the state its command needs, and acts for
a principal who may take the step (SEC-1), so that only the fed value can be refused.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from omakase_core import Actor, Principal
from omakase_core.calendar import JST
from omakase_core.ocn import (
    AccountAction,
    CancellationRequest,
    CancellationStatus,
    CancellationSubmitted,
    MailChangeApplied,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnCustomer,
    OcnEvent,
    OcnService,
    VirusCheck,
    mail_monthly_fee,
)
from omakase_core.ocn.machine import CancellationChart, MailChangeChart
from omakase_core.ocn.rules import (
    check_host,
    check_local_parts,
    check_mail_change_fits,
    check_mail_password,
    check_phone,
)
from omakase_core.testing import (
    FixedClock,
    InMemoryOutbox,
    InMemoryRepository,
    TestPasswordHasher,
)
from tests.bad_input import values as v
from tests.bad_input.core import ID, LABEL, NOT_NEGATIVE
from tests.bad_input.spec import ID_TEXT, Case, Lazy, Param, refuse
from tests.bad_input.values import REFUSE, bad

T0: Final = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
LATER: Final = datetime(2026, 11, 2, 11, 0, tzinfo=JST)
CUSTOMER: Final = Principal.customer("ocn-1")
STAFF: Final = Principal.operator("staff-1")

PASSWORD: Final = "Kq7-mail!"  # noqa: S105  # a test value
HASH: Final = "hashed"  # a test value
ADD_HANAKO: Final = MailChangeRequest(
    pattern=MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
    action=AccountAction.ADD,
    new_name="hanako",
    virus_check=VirusCheck.USE,
    virus_check_consent=True,
    notify=("taro",),
)
RENAME_TARO: Final = MailChangeRequest(
    pattern=MailChangePattern.ACCOUNT_ONLY,
    action=AccountAction.RENAME,
    account="taro",
    new_name="taro2",
)
CANCELLATION_FORM: Final[dict[str, object]] = {
    "desired_date": date(2026, 12, 31),
    "reason": "移行",
    "reason_detail": "他社サービスへ移行するため",
    "migration_reason": "コスト",
    "contact_name": "山田太郎",
    "phone": "0312345678",
    "email": "taro@example.co.jp",
    "email_confirmation": "taro@example.co.jp",
    "other_detail": "インターネット接続のみ",
    "notes": "平日午前に連絡希望",
    "contact_department": "総務部",
    "contact_fax": "03-1234-5679",
}
CANCELLATION: Final = CancellationRequest(
    desired_date=date(2026, 12, 31),
    reason="移行",
    reason_detail="他社サービスへ移行するため",
    migration_reason="コスト",
    contact_name="山田太郎",
    phone="0312345678",
    email="taro@example.co.jp",
    email_confirmation="taro@example.co.jp",
)

TAKEN_AT_T0: Final = OcnCustomer(
    id="ocn-1", accounts=("taro",), hosts=("arrow.ocn.ne.jp",), updated_at=T0
)


def _customer(*steps: str) -> OcnCustomer:
    """Return ocn-1 (taro) at T0, after ``steps``: "change" (add hanako), "cancel" (廃止)."""
    customer = TAKEN_AT_T0
    for step in steps:
        if step == "change":
            customer = customer.apply_mail_change(
                ADD_HANAKO, actor=Actor.CUSTOMER, at=T0, password_hash=HASH
            )
        elif step == "cancel":
            customer = customer.submit_cancellation(CANCELLATION, actor=Actor.CUSTOMER, at=T0)
    return customer.saved()


def _service(*steps: str) -> OcnService:
    """Return the service over fresh ports holding ocn-1 after ``steps``, and ocn-2."""
    outbox = InMemoryOutbox()
    customers: InMemoryRepository[OcnCustomer] = InMemoryRepository(outbox)
    customers.add(_customer(*steps))
    customers.add(OcnCustomer(id="ocn-2", accounts=("jiro",), updated_at=T0))
    return OcnService(customers=customers, clock=FixedClock(LATER), hasher=TestPasswordHasher())


# -- families of OCN's special parameters --------------------------------------------------------

ACTOR: Final = Param(family=(*v.enum_member(Actor), v.NONE, *v.WRONG_OBJECT))
"""Every command's actor (SEC-2): an Actor member, never its value, name or another enum."""

ACCOUNTS: Final = refuse(
    "empty list",
    "empty generator",
    extra=(
        bad("a list of text", ["taro"], REFUSE),
        bad("a mail address", ("taro@ocn.ne.jp",), REFUSE),
        bad("an upper-case name", ("Taro",), REFUSE),
        bad("a name twice", ("taro", "taro"), REFUSE),
        bad("five accounts", ("a", "b", "c", "d", "e"), REFUSE),
        bad("a 1 MB name", (v.MEGABYTE,), REFUSE, v.X_ECHO),
    ),
)
"""A customer's accounts (OCN-1, OCN-2): 1 to 4 distinct local parts, in a tuple."""

NAMES: Final = Param(
    extra=(
        bad("a mail address", ("taro@ocn.ne.jp",), REFUSE),
        bad("a full-width name", ("ｔａｒｏ",), REFUSE),
        bad("a 1 MB name", (v.MEGABYTE,), REFUSE, v.X_ECHO),
    )
)
"""Local parts (OCN-2): lower-case ASCII names only, never a whole address."""

FORM_TEXT: Final = refuse("empty", "blank", "ideographic space", "control characters", "1 MB")
"""A required free-text field of the cancellation form (OCN-4). Japanese text, full-width
digits and emoji are valid there (a reason may say "２月に移転"), so only empty, blank,
control-character and oversized text is refused."""


STRICT_TEXT: Final = (
    "empty",
    "blank",
    "ideographic space",
    "control characters",
    "line break",
    "1 MB",
    "full-width digits",
    "Arabic-Indic digits",
    "lone surrogate",
    "emoji",
    "unknown word",
)
"""The text values a strict OCN field refuses whatever else it takes (SEC-2, OCN-2, OCN-4)."""

PHONE: Final = refuse(
    *STRICT_TEXT,
    extra=(
        bad("too few digits", "012345", REFUSE),
        bad("two hyphens in a row", "03--1234-5678", REFUSE),
        bad("full-width phone", "０３１２３４５６７８", REFUSE),
    ),
)
"""The contact phone (OCN-4): 10 to 12 half-width digits, hyphens between groups."""

EMAIL: Final = refuse(
    *STRICT_TEXT,
)
"""An e-mail address (OCN-4): nothing but a plausible address."""

CONFIRMATION: Final = Param(
    refuse=EMAIL.refuse,
    extra=(bad("another address", "hanako@example.co.jp", REFUSE),),
)
"""The e-mail confirmation (OCN-4): must repeat the address exactly."""

VERSION: Final = refuse("negative", "-huge")
"""``expected_version`` (SEC-3): a version is never negative."""

EVENT_TEXT: Final = refuse(
    "empty",
    "blank",
    "ideographic space",
    "control characters",
    "line break",
    "1 MB",
    "full-width digits",
    "Arabic-Indic digits",
    "lone surrogate",
    "emoji",
)
"""An OCN event's name (PORT-3): a short printable identifier such as ``cancellation_accept``."""

DETAIL: Final = refuse("control characters", "line break", "1 MB", "lone surrogate")
"""An OCN event's detail: empty or short printable text (a pattern, a date)."""

NAME: Final = refuse(
    "empty",
    "blank",
    "ideographic space",
    "control characters",
    "line break",
    "1 MB",
    "full-width digits",
    "Arabic-Indic digits",
    "lone surrogate",
    "emoji",
    extra=(
        bad("a mail address", "taro@ocn.ne.jp", REFUSE),
        bad("an upper-case name", "Taro", REFUSE),
    ),
)
"""One local part (OCN-2): a lower-case ASCII name, never a whole address."""

HOST: Final = refuse(
    *STRICT_TEXT,
    extra=(
        bad("an upper-case host", "Dune.OCN.ne.jp", REFUSE),
        bad("a mail address", "taro@dune.ocn.ne.jp", REFUSE),
        bad("a host with a space", "dune .ocn.ne.jp", REFUSE),
    ),
)
"""The host the operator assigns (OCN-2): lower-case DNS labels, at least two."""

MAIL_PASSWORD: Final = refuse(
    *STRICT_TEXT,
    extra=(bad("a password with a space", "pass word1", REFUSE),),
)
"""A mail password (OCN-2): 6 to 32 half-width letters, digits or symbols; never echoed."""

PASSWORD_CONFIRMATION: Final = refuse(
    *STRICT_TEXT,
    extra=(bad("another password", PASSWORD + "x", REFUSE),),
)
"""The mail password's confirmation (OCN-2): the password again, exactly."""

OPTIONAL_TEXT: Final = refuse("control characters", "1 MB")
"""An optional text of the cancellation form (OCN-4): empty or blank is "left empty"."""

FAX: Final = refuse(
    "control characters",
    "line break",
    "1 MB",
    "full-width digits",
    "Arabic-Indic digits",
    "lone surrogate",
    "emoji",
    "unknown word",
    extra=(bad("too few digits", "012345", REFUSE),),
)
"""The contact fax (OCN-4): left empty, or a number as the phone is."""

FEE: Final = refuse("negative", "-huge")
"""A monthly fee an event carries (OCN-1): yen, never negative."""

CUSTOMER_ID: Final = ID
"""An OCN customer id (SEC-1): printable, not blank, at most 200 characters."""

SERVICE_BY: Final = Param(extra=(bad("the customer's id", "ocn-1", REFUSE),))
"""``by`` (SEC-1): a Principal, never an id standing for one."""


class _Model:
    """A plain object a chart keeps its state on."""


CHART: Final = {
    "model": Param(
        family=(
            *v.WRONG_OBJECT,
            bad("int for a model", 1, REFUSE),
            bad("text for a model", "model", REFUSE),
            bad("a frozen value for a model", ADD_HANAKO, REFUSE),
        )
    ),
    "state_field": refuse(*ID_TEXT, "full-width digits", "Arabic-Indic digits"),
    # A listener is any object whose methods become callbacks: a bare object() is a valid
    # listener with none, so a list holding one may be accepted.
    "listeners": Param(may=frozenset({"a list holding an object()"})),
}
"""python-statemachine's own entry to a chart, checked (SEC-2)."""


def _request(kind: type) -> Param:
    """Return the family of a form given to a command (OCN-2, OCN-4): only that form."""
    return Param(
        family=(
            *v.instance_of(kind),
            v.NONE,
            *v.WRONG_OBJECT,
            bad(
                "the other form", CANCELLATION if kind is MailChangeRequest else ADD_HANAKO, REFUSE
            ),
        )
    )


def _service_case(
    name: str,
    steps: tuple[str, ...],
    by: Principal,
    request: MailChangeRequest | CancellationRequest | None = None,
) -> Case:
    args: dict[str, object] = {"customer_id": "ocn-1", "by": by}
    params = {"customer_id": CUSTOMER_ID, "by": SERVICE_BY, "expected_version": VERSION}
    if request is not None:
        args["request"] = request
        params["request"] = _request(type(request))
    return Case((OcnService, name), args, params, instance=lambda: _service(*steps))


CASES: list[Case] = [
    # -- rules (OCN-1, OCN-2, OCN-4) ----------------------------------------------------------
    Case(
        mail_monthly_fee,
        {"accounts": 3, "virus_checks": 1, "tax_included": True},
        {
            "accounts": refuse("negative", "zero", "-huge", "huge", "2**63"),
            "virus_checks": NOT_NEGATIVE,
        },
    ),
    Case(
        check_local_parts,
        {"value": ("taro", "hanako"), "field": "accounts"},
        {
            "value": Param(
                fields=("accounts",),
                family=(
                    *v.collection_of(v.TEXT),
                    v.NONE,
                    *v.WRONG_OBJECT,
                    *NAMES.extra,
                    bad("a name twice", ("taro", "taro"), REFUSE),
                ),
            ),
            "field": LABEL,
        },
    ),
    Case(
        check_mail_change_fits,
        {"accounts": ("taro",), "new_accounts": ("hanako",), "virus_checks": ("taro",)},
        {
            "new_accounts": Param(
                extra=(
                    bad("an existing account", ("taro",), REFUSE),
                    bad("four more accounts", ("a", "b", "c", "d"), REFUSE),
                )
            ),
            "virus_checks": Param(extra=(bad("an unknown account", ("jiro",), REFUSE),)),
        },
    ),
    Case(
        check_phone,
        {"value": "0120-123-456"},
        {
            "value": Param(
                family=(*v.TEXT, v.NONE, *v.WRONG_OBJECT, *PHONE.extra),
                refuse=PHONE.refuse,
                fields=("phone",),
            ),
            "field": LABEL,
        },
    ),
    Case(
        check_host,
        {"value": "dune.ocn.ne.jp"},
        {
            "value": Param(
                family=(*v.TEXT, v.NONE, *v.WRONG_OBJECT, *HOST.extra),
                refuse=HOST.refuse,
                fields=("host",),
            ),
            "field": LABEL,
        },
    ),
    Case(
        check_mail_password,
        {"password": PASSWORD, "confirmation": PASSWORD},
        {
            "password": Param(
                family=(*v.TEXT, v.NONE, *v.WRONG_OBJECT, *MAIL_PASSWORD.extra),
                refuse=MAIL_PASSWORD.refuse,
            ),
            "confirmation": Param(
                family=(*v.TEXT, v.NONE, *v.WRONG_OBJECT, *PASSWORD_CONFIRMATION.extra),
                refuse=PASSWORD_CONFIRMATION.refuse,
                fields=("password_confirmation",),
            ),
        },
    ),
    # -- the charts (OCN-3, OCN-4): python-statemachine's own entry, checked (SEC-2) -----------
    Case(
        MailChangeChart,
        {
            "model": Lazy(_Model),
            "state_field": "state",
            "start_value": MailChangeStatus.REQUESTED,
            "listeners": [],
        },
        CHART,
    ),
    Case(
        CancellationChart,
        {"model": None, "state_field": "status", "start_value": CancellationStatus.COMPLETED},
        CHART,
    ),
    # -- values (OCN-2 … OCN-5; SEC-2 for the enums) --------------------------------------------
    Case(MailChangeStatus, {"value": "requested"}),
    Case(CancellationStatus, {"value": "accepted"}),
    Case(MailChangePattern, {"value": "virus_check_only"}),
    Case(AccountAction, {"value": "rename"}),
    Case(VirusCheck, {"value": "not_use"}),
    Case(
        MailChangeRequest,
        {
            "pattern": MailChangePattern.ACCOUNT_AND_VIRUS_CHECK,
            "action": AccountAction.RENAME,
            "account": "taro",
            "new_name": "hanako",
            "virus_check": VirusCheck.USE,
            "virus_check_consent": True,
            "notify": ("taro",),
        },
        {
            "action": Param(extra=(v.NONE,)),
            "account": Param(extra=(v.NONE, *NAME.extra), refuse=NAME.refuse),
            "new_name": Param(
                extra=(v.NONE, *NAME.extra, bad("the account itself", "taro", REFUSE)),
                refuse=NAME.refuse,
            ),
            "virus_check": Param(extra=(v.NONE,)),
            "notify": refuse(extra=NAMES.extra),
        },
        name="rename and switch on",
    ),
    Case(
        MailChangeRequest,
        {
            "pattern": MailChangePattern.VIRUS_CHECK_ONLY,
            "account": "taro",
            "virus_check": VirusCheck.NOT_USE,
        },
        {
            "action": Param(extra=(bad("an action", AccountAction.ADD, REFUSE),)),
            "new_name": Param(extra=(bad("a new name", "hanako", REFUSE),), refuse=NAME.refuse),
            "account": Param(extra=(v.NONE, *NAME.extra), refuse=NAME.refuse),
            "virus_check_consent": Param(extra=(bad("consent to switch off", True, REFUSE),)),
        },
        name="switch off",
    ),
    Case(
        CancellationRequest,
        CANCELLATION_FORM,
        {
            "reason": FORM_TEXT,
            "reason_detail": FORM_TEXT,
            "migration_reason": FORM_TEXT,
            "contact_name": FORM_TEXT,
            "phone": PHONE,
            "email": EMAIL,
            "email_confirmation": CONFIRMATION,
            "other_detail": OPTIONAL_TEXT,
            "notes": OPTIONAL_TEXT,
            "contact_department": OPTIONAL_TEXT,
            "contact_fax": FAX,
        },
    ),
    Case(
        OcnEvent,
        {
            "aggregate_id": "ocn-1",
            "version": 1,
            "occurred_at": T0,
            "event": "mail_change_register",
            "detail": "hanako@red.ocn.ne.jp",
        },
        {
            "aggregate_id": ID,
            "version": refuse("negative", "zero", "-huge"),
            "event": EVENT_TEXT,
            "detail": DETAIL,
        },
    ),
    Case(
        MailChangeApplied,
        {
            "aggregate_id": "ocn-1",
            "version": 1,
            "occurred_at": T0,
            "event": "mail_change_requested",
            "detail": "account_and_virus_check",
            "request": ADD_HANAKO,
            "recipients": ("taro@arrow.ocn.ne.jp",),
            "account_address": "taro@arrow.ocn.ne.jp",
            "had_virus_check": False,
            "monthly_fee": 450,
            "monthly_fee_tax_included": 495,
        },
        {
            "aggregate_id": ID,
            "version": refuse("negative", "zero", "-huge"),
            "event": EVENT_TEXT,
            "detail": DETAIL,
            "request": _request(MailChangeRequest),
            "recipients": refuse(extra=(bad("a local part", ("taro",), REFUSE),)),
            "account_address": refuse(*EMAIL.refuse),
            "monthly_fee": FEE,
            "monthly_fee_tax_included": FEE,
        },
    ),
    Case(
        CancellationSubmitted,
        {
            "aggregate_id": "ocn-1",
            "version": 1,
            "occurred_at": T0,
            "event": "cancellation_submitted",
            "detail": "2026-12-31",
            "contact_name": "山田太郎",
            "contact_email": "taro@example.co.jp",
            "desired_date": date(2026, 12, 31),
            "withdrew_mail_change": True,
        },
        {
            "aggregate_id": ID,
            "version": refuse("negative", "zero", "-huge"),
            "event": EVENT_TEXT,
            "detail": DETAIL,
            "contact_name": FORM_TEXT,
            "contact_email": EMAIL,
            "desired_date": refuse("aware datetime for a date", "datetime.max in UTC"),
        },
    ),
    # -- the aggregate (OCN-1 … OCN-5) ----------------------------------------------------------
    Case(
        OcnCustomer,
        {
            "id": "ocn-1",
            "accounts": ("taro", "hanako"),
            "virus_checks": ("taro",),
            "hosts": ("arrow.ocn.ne.jp", None),
            "mail_change": MailChangeRequest(
                pattern=MailChangePattern.ACCOUNT_ONLY,
                action=AccountAction.ADD,
                new_name="jiro",
            ),
            "mail_change_status": MailChangeStatus.REQUESTED,
            "mail_password_hash": "hashed",
            "cancellation": CANCELLATION,
            "cancellation_status": CancellationStatus.ACCEPTED,
            "version": 2,
            "updated_at": T0,
            "pending_events": (
                OcnEvent(aggregate_id="ocn-1", version=2, occurred_at=T0, event="x"),
            ),
        },
        {
            "id": ID,
            "accounts": ACCOUNTS,
            "virus_checks": Param(
                extra=(
                    bad("a list of text", ["taro"], REFUSE),
                    bad("an account the customer lacks", ("jiro",), REFUSE),
                )
            ),
            "hosts": Param(
                extra=(
                    bad("a list of hosts", ["arrow.ocn.ne.jp", None], REFUSE),
                    bad("one host for two accounts", ("arrow.ocn.ne.jp",), REFUSE),
                    bad("an upper-case host", ("Arrow.ocn.ne.jp", None), REFUSE),
                ),
                refuse=frozenset({"empty list", "empty generator"}),
            ),
            "mail_change": Param(extra=(v.NONE,)),
            "mail_change_status": Param(extra=(v.NONE,)),
            "mail_password_hash": refuse("empty", "1 MB"),
            "cancellation": Param(extra=(v.NONE,)),
            "cancellation_status": Param(extra=(v.NONE,)),
            "version": NOT_NEGATIVE,
            "pending_events": Param(extra=(bad("a list of events", [], REFUSE),)),
        },
    ),
    Case(
        (OcnCustomer, "check_mail_change"),
        {"request": ADD_HANAKO, "actor": Actor.CUSTOMER},
        {"actor": ACTOR, "request": _request(MailChangeRequest)},
        instance=_customer,
    ),
    Case(
        (OcnCustomer, "apply_mail_change"),
        {"request": ADD_HANAKO, "actor": Actor.CUSTOMER, "at": LATER, "password_hash": "hashed"},
        {
            "actor": ACTOR,
            "request": _request(MailChangeRequest),
            "password_hash": refuse("empty", "1 MB", extra=(v.NONE,)),
        },
        instance=_customer,
    ),
    Case(
        (OcnCustomer, "cancel_mail_change"),
        {"actor": Actor.CUSTOMER, "at": LATER},
        {"actor": ACTOR},
        instance=lambda: _customer("change"),
    ),
    Case(
        (OcnCustomer, "register_mail_change"),
        {"actor": Actor.OPERATOR, "at": LATER, "host": "red.ocn.ne.jp"},
        {"actor": ACTOR, "host": Param(extra=(v.NONE, *HOST.extra), refuse=HOST.refuse)},
        instance=lambda: _customer("change"),
    ),
    Case(
        (OcnCustomer, "report_name_unavailable"),
        {"actor": Actor.OPERATOR, "at": LATER},
        {"actor": ACTOR},
        instance=lambda: _customer("change"),
    ),
    Case(
        (OcnCustomer, "submit_cancellation"),
        {"request": CANCELLATION, "actor": Actor.CUSTOMER, "at": LATER},
        {
            "actor": ACTOR,
            "request": _request(CancellationRequest),
            # a submission after the desired date: the request's date is what is refused
            "at": Param(fields=("desired_date",)),
        },
        instance=_customer,
    ),
    Case(
        (OcnCustomer, "complete_cancellation"),
        {"actor": Actor.OPERATOR, "at": LATER},
        {"actor": ACTOR},
        instance=lambda: _customer("cancel"),
    ),
    # -- the service (SEC-1 … SEC-3) ------------------------------------------------------------
    Case(
        OcnService,
        {
            "customers": InMemoryRepository(InMemoryOutbox()),
            "clock": FixedClock(T0),
            "hasher": TestPasswordHasher(),
        },
    ),
    Case(
        (OcnService, "get"),
        {"customer_id": "ocn-1", "by": CUSTOMER},
        {"customer_id": CUSTOMER_ID, "by": SERVICE_BY},
        instance=_service,
    ),
    Case(
        (OcnService, "create_customer"),
        {
            "customer_id": "ocn-9",
            "by": STAFF,
            "accounts": ("saburo",),
            "virus_checks": (),
            "hosts": ("blue.ocn.ne.jp",),
        },
        {
            "customer_id": CUSTOMER_ID,
            "by": SERVICE_BY,
            "accounts": ACCOUNTS,
            "virus_checks": Param(extra=(bad("an account the customer lacks", ("x",), REFUSE),)),
            "hosts": Param(
                extra=(
                    bad("two hosts for one account", ("a.jp", "b.jp"), REFUSE),
                    bad("None for a host", (None,), REFUSE),
                    bad("an upper-case host", ("Blue.ocn.ne.jp",), REFUSE),
                )
            ),
        },
        instance=_service,
    ),
    Case(
        (OcnService, "apply_mail_change"),
        {
            "customer_id": "ocn-1",
            "request": RENAME_TARO,
            "by": CUSTOMER,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
        {
            "customer_id": CUSTOMER_ID,
            "by": SERVICE_BY,
            "expected_version": VERSION,
            "request": _request(MailChangeRequest),
            "password": Param(extra=(v.NONE, *MAIL_PASSWORD.extra), refuse=MAIL_PASSWORD.refuse),
            "password_confirmation": Param(
                extra=(v.NONE, *PASSWORD_CONFIRMATION.extra), refuse=PASSWORD_CONFIRMATION.refuse
            ),
        },
        instance=_service,
    ),
    _service_case("cancel_mail_change", ("change",), CUSTOMER),
    Case(
        (OcnService, "register_mail_change"),
        {"customer_id": "ocn-1", "by": STAFF, "host": "red.ocn.ne.jp"},
        {
            "customer_id": CUSTOMER_ID,
            "by": SERVICE_BY,
            "expected_version": VERSION,
            "host": Param(extra=(v.NONE, *HOST.extra), refuse=HOST.refuse),
        },
        instance=lambda: _service("change"),
    ),
    _service_case("report_name_unavailable", ("change",), STAFF),
    _service_case("submit_cancellation", (), CUSTOMER, CANCELLATION),
    _service_case("complete_cancellation", ("cancel",), STAFF),
]
"""Cases of OCN's rules, values, aggregate and service."""
