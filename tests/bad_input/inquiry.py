"""Valid calls of the fault inquiries' public callables: the baselines of the bad values (SEC-2).

One :class:`~tests.bad_input.spec.Case` per callable of :mod:`omakase_core.inquiry` and its
modules (INQ-1 … INQ-3), and of their in-memory adapters (``InMemoryInquiryRepository``,
``InMemoryAttachmentStore``, ``InMemoryContractedServices``). Each service case builds fresh
in-memory ports (the ``instance`` is built anew for every bad value) with inq-1 of tenant-1
in the status its command needs, and acts for a principal who may take the step (SEC-1),
so that only the fed value is refused. The sweep's case (INQ-2) runs after inq-1's purge
instant. The service knows each tenant's contracted services (INQ-1) through
``InMemoryContractedServices``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from omakase_core import Actor, Principal
from omakase_core.accounts import Role
from omakase_core.calendar import JST
from omakase_core.inquiry import (
    Attachment,
    AttachmentsDeleted,
    Inquiry,
    InquiryAnswered,
    InquiryChart,
    InquiryEvent,
    InquiryMessageAdded,
    InquiryOpened,
    InquiryResolved,
    InquiryService,
    InquiryStatus,
    PurgeReport,
    attachment_purge_at,
    validate_attachment,
)
from omakase_core.testing import (
    FixedClock,
    InMemoryAttachmentStore,
    InMemoryContractedServices,
    InMemoryInquiryRepository,
    InMemoryOutbox,
)
from tests.bad_input import values as v
from tests.bad_input.core import ID, NOT_NEGATIVE
from tests.bad_input.spec import ID_TEXT, Case, Lazy, Param, refuse
from tests.bad_input.values import MAY, REFUSE, bad

T0: Final = datetime(2026, 11, 2, 9, 0, tzinfo=JST)
LATER: Final = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
USER: Final = Principal.customer("tenant-1", user_id="sato@example.co.jp", role=Role.USER)
STAFF: Final = Principal.operator("kddi-7")
LOG: Final = Attachment(attachment_id="att-log", filename="log.txt", size_bytes=10)
SHOT: Final = Attachment(attachment_id="att-shot", filename="画面.png", size_bytes=2048)
WAN: Final = "KDDI Wide Area Virtual Switch 2"
PURGED: Final = attachment_purge_at(T0)
"""When inq-1's attachments go once it is resolved at ``T0`` (INQ-2)."""
SYSTEM: Final = Principal.system()


def _inquiry(*steps: str) -> Inquiry:
    """Return tenant-1's inq-1 opened at T0, after ``steps``: "answer", "resolve"."""
    inquiry = Inquiry.open(
        id="inq-1",
        customer_id="tenant-1",
        subject="VPN につながらない",
        body="朝から接続できません",
        contact_email="user@example.co.jp",
        attachments=(LOG,),
        at=T0,
    )
    for step in steps:
        if step == "answer":
            inquiry = inquiry.answer("再起動してください", actor=Actor.OPERATOR, at=T0)
        elif step == "resolve":
            inquiry = inquiry.resolve(actor=Actor.CUSTOMER, at=T0)
    return inquiry.saved()


def _contracts() -> InMemoryContractedServices:
    """Tenant-1 has contracted ``WAN`` (INQ-1); every other tenant nothing."""
    return InMemoryContractedServices({"tenant-1": (WAN,)})


def _service(*steps: str) -> InquiryService:
    """Return the service over fresh ports holding inq-1 after ``steps``, and tenant-2's inq-2."""
    outbox = InMemoryOutbox()
    inquiries = InMemoryInquiryRepository(outbox)
    inquiries.add(_inquiry(*steps))
    other = Inquiry.open(
        id="inq-2",
        customer_id="tenant-2",
        subject="別件",
        body="本文",
        contact_email="x@example.jp",
        at=T0,
    )
    inquiries.add(other)
    files = InMemoryAttachmentStore()
    files.store(LOG.attachment_id)
    return InquiryService(
        inquiries=inquiries, clock=FixedClock(LATER), attachments=files, services=_contracts()
    )


def _repository() -> InMemoryInquiryRepository:
    """Return a repository holding inq-1, resolved at ``T0`` (due at ``PURGED``)."""
    inquiries = InMemoryInquiryRepository(InMemoryOutbox())
    inquiries.add(_inquiry("resolve"))
    return inquiries


def _files() -> InMemoryAttachmentStore:
    files = InMemoryAttachmentStore()
    files.store(LOG.attachment_id)
    return files


# -- families of the inquiries' special parameters -----------------------------------------------

ACTOR: Final = Param(family=(*v.enum_member(Actor), v.NONE, *v.WRONG_OBJECT))
"""Every command's actor (SEC-2): an Actor member, never its value, name or another enum."""

FILENAME: Final = refuse(
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
    extra=(
        bad("an executable", "setup.exe", REFUSE),
        bad("no extension", "README", REFUSE),
        bad("a 1 MB name of an accepted type", v.MEGABYTE + ".png", REFUSE, v.X_ECHO),
        bad("a type as a suffix of the name", "report.pdf.exe", REFUSE),
    ),
)
"""An attachment's file name (INQ-2): a name of an accepted type, at most 255 characters.
Japanese file names are valid (``障害ログ.txt``), so only the extension decides the type."""

SIZE: Final = refuse(
    "negative",
    "zero",
    "2**63",
    "huge",
    "-huge",
    extra=(bad("3 MB and a byte", 3 * 1024 * 1024 + 1, REFUSE),),
)
"""An attachment's size in bytes (INQ-2): 1 byte to 3 MB."""

SUBJECT: Final = refuse("empty", "blank", "ideographic space", "control characters", "1 MB")
"""An inquiry's subject (INQ-1). Japanese text, full-width digits and emoji are valid there
("ＶＰＮ障害 ２件目"); empty, blank, control-character and oversized text is refused."""

TEXT: Final = refuse("empty", "blank", "ideographic space", "control characters", "1 MB")
"""A message, an answer, a body (INQ-1): as a subject, but line breaks are valid (a message
has paragraphs)."""

EMAIL: Final = refuse(
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
"""The contact address (INQ-3): nothing but a plausible e-mail address."""

ATTACHMENTS: Final = Param(
    family=(
        *v.collection_of(v.instance_of(Attachment)),
        v.NONE,
        *v.WRONG_OBJECT,
        bad("a tuple of file names", ("log.txt",), REFUSE),
        bad("a tuple holding None", (None,), REFUSE),
    )
)
"""The attachments (INQ-2): a tuple (or a list) of :class:`Attachment` values, never ``None``."""

SERVICE_NAME: Final = refuse(
    "empty",
    "blank",
    "ideographic space",
    "control characters",
    "line break",
    "1 MB",
    extra=(
        bad("another tenant's service", "KDDI IP-VPN", REFUSE),
        bad("the name in other case", WAN.lower(), REFUSE),
        bad("no service", None, REFUSE),
    ),
)
"""The contracted service an inquiry is about (INQ-1): one the tenant has contracted,
always required."""

SERVICE_TEXT: Final = refuse("empty", "blank", "ideographic space", "control characters", "1 MB")
"""The service's name on the aggregate (INQ-1): a name; ``None`` names none."""

VERSION: Final = refuse("negative", "-huge")
"""``expected_version`` (SEC-3): a version is never negative."""

SERVICE_BY: Final = Param(
    extra=(
        bad("the tenant's id", "tenant-1", REFUSE),
        bad("a customer without a role", Principal.customer("tenant-1"), REFUSE),
        bad(
            "a customer with another enum's role",
            Principal.customer("tenant-1", role=Actor.CUSTOMER),  # the point: not a Role
            REFUSE,
        ),
    )
)
"""``by`` (SEC-1, ACC-3): a Principal; a customer-side one carries its accounts Role."""

EVENT_FIELDS: Final = {
    "aggregate_id": ID,
    "version": refuse("negative", "zero", "-huge"),
    "subject": SUBJECT,
    "contact_email": EMAIL,
}
EVENT_ARGS: Final[dict[str, object]] = {
    "aggregate_id": "inq-1",
    "version": 1,
    "occurred_at": T0,
    "subject": "VPN につながらない",
    "contact_email": "user@example.co.jp",
}


class _Model:
    """A plain object a chart keeps its state on."""


CHART: Final = {
    "model": Param(
        family=(
            *v.WRONG_OBJECT,
            bad("int for a model", 1, REFUSE),
            bad("text for a model", "model", REFUSE),
            bad("a frozen value for a model", LOG, REFUSE),
        )
    ),
    "state_field": refuse(*ID_TEXT, "full-width digits", "Arabic-Indic digits"),
    # A listener is any object whose methods become callbacks: a bare object() is a valid
    # listener with none, so a list holding one may be accepted.
    "listeners": Param(may=frozenset({"a list holding an object()"})),
}
"""python-statemachine's own entry to a chart, checked (SEC-2)."""

OPENED: Final = InquiryOpened(
    aggregate_id="inq-1",
    version=1,
    occurred_at=T0,
    subject="VPN につながらない",
    contact_email="user@example.co.jp",
)


def _service_case(
    name: str,
    steps: tuple[str, ...],
    by: Principal,
    text: str = "",
    **more: object,
) -> Case:
    args: dict[str, object] = {"inquiry_id": "inq-1", "by": by, **more}
    params = {"inquiry_id": ID, "by": SERVICE_BY, "expected_version": VERSION}
    if text:
        args["text"] = text
        params["text"] = TEXT
    if "attachments" in more:
        params["attachments"] = Param(
            family=(*(ATTACHMENTS.family or ()), bad("the first message's file", (LOG,), REFUSE))
        )
    return Case((InquiryService, name), args, params, instance=lambda: _service(*steps))


CASES: list[Case] = [
    # -- rules and values (INQ-1, INQ-2; SEC-2 for the status) ----------------------------------
    Case(
        validate_attachment,
        {"filename": "error.PNG", "size_bytes": 1024},
        {"filename": FILENAME, "size_bytes": SIZE},
    ),
    Case(attachment_purge_at, {"resolved_at": T0}),
    Case(InquiryStatus, {"value": "received"}),
    Case(
        InquiryChart,
        {
            "model": Lazy(_Model),
            "state_field": "state",
            "start_value": InquiryStatus.ANSWERED,
            "listeners": [],
        },
        CHART,
    ),
    Case(
        Attachment,
        {"attachment_id": "att-1", "filename": "障害ログ.txt", "size_bytes": 2048},
        {"attachment_id": ID, "filename": FILENAME, "size_bytes": SIZE},
    ),
    Case(InquiryEvent, EVENT_ARGS, EVENT_FIELDS),
    Case(InquiryOpened, EVENT_ARGS, EVENT_FIELDS),
    Case(InquiryMessageAdded, EVENT_ARGS, EVENT_FIELDS),
    Case(
        InquiryAnswered,
        {**EVENT_ARGS, "answer": "再起動してください"},
        {**EVENT_FIELDS, "answer": TEXT},
    ),
    Case(InquiryResolved, {**EVENT_ARGS, "purge_at": LATER}, EVENT_FIELDS),
    Case(
        AttachmentsDeleted,
        {**EVENT_ARGS, "attachment_ids": ("att-log",)},
        {
            **EVENT_FIELDS,
            "attachment_ids": Param(
                extra=(
                    bad("no id", (), REFUSE),
                    bad("a list of ids", ["att-log"], REFUSE),
                    bad("a blank id", (" ",), REFUSE),
                )
            ),
        },
    ),
    # -- the aggregate (INQ-1 … INQ-3) ----------------------------------------------------------
    Case(
        Inquiry,
        {
            "id": "inq-1",
            "customer_id": "tenant-1",
            "subject": "VPN につながらない",
            "contact_email": "user@example.co.jp",
            "status": InquiryStatus.RESOLVED,
            "service": WAN,
            "messages": (("customer", "朝から接続できません"),),
            "attachments": (LOG,),
            "attachment_messages": (0,),
            "resolved_at": T0,
            "version": 2,
            "updated_at": T0,
            "pending_events": (OPENED,),
        },
        {
            "id": ID,
            "customer_id": ID,
            "subject": SUBJECT,
            "contact_email": EMAIL,
            "messages": Param(
                family=(
                    v.NONE,
                    *v.WRONG_OBJECT,
                    bad("a list of pairs", [("customer", "x")], REFUSE),
                    bad("a tuple of texts", ("x",), REFUSE),
                    bad("a pair of ints", ((1, 2),), REFUSE),
                    bad("a triple", (("customer", "x", "y"),), REFUSE),
                    bad("an unknown author", (("staff", "x"),), REFUSE),
                    bad("a 1 MB message", (("customer", v.MEGABYTE),), REFUSE, v.X_ECHO),
                    bad("an empty message", (("customer", ""),), REFUSE),
                    bad("no message", (), v.MAY),
                )
            ),
            "attachments": Param(
                family=(*(ATTACHMENTS.family or ()), bad("a list", [LOG], REFUSE))
            ),
            "service": SERVICE_TEXT,
            "attachment_messages": Param(
                family=(
                    v.NONE,
                    *v.WRONG_OBJECT,
                    bad("a list", [0], REFUSE),
                    bad("no index for the file", (), REFUSE),
                    bad("an index past the messages", (1,), REFUSE),
                    bad("a negative index", (-1,), REFUSE),
                    bad("a bool", (True,), REFUSE),
                    bad("text", ("0",), REFUSE),
                )
            ),
            "version": NOT_NEGATIVE,
            "pending_events": Param(extra=(bad("a list of events", [], REFUSE),)),
        },
    ),
    Case(
        (Inquiry, "open"),
        {
            "id": "inq-1",
            "customer_id": "tenant-1",
            "subject": "VPN につながらない",
            "body": "朝から接続できません",
            "contact_email": "user@example.co.jp",
            "attachments": (LOG,),
            "at": T0,
            "service": WAN,
        },
        {
            "id": ID,
            "customer_id": ID,
            "subject": SUBJECT,
            "body": TEXT,
            "contact_email": EMAIL,
            "attachments": ATTACHMENTS,
            "service": SERVICE_TEXT,
        },
    ),
    Case(
        (Inquiry, "answer"),
        {"text": "再起動してください", "actor": Actor.OPERATOR, "at": LATER},
        {"text": TEXT, "actor": ACTOR},
        instance=_inquiry,
    ),
    Case(
        (Inquiry, "add_message"),
        {
            "text": "まだつながりません",
            "actor": Actor.CUSTOMER,
            "at": LATER,
            "attachments": (SHOT,),
        },
        {
            "text": TEXT,
            "actor": ACTOR,
            "attachments": Param(
                family=(
                    *(ATTACHMENTS.family or ()),
                    bad("the first message's file", (LOG,), REFUSE),
                )
            ),
        },
        instance=lambda: _inquiry("answer"),
    ),
    Case(
        (Inquiry, "attachments_of"),
        {"message": 0},
        {"message": refuse("negative", extra=(bad("past the messages", 1, REFUSE),))},
        instance=_inquiry,
    ),
    Case(
        (Inquiry, "resolve"),
        {"actor": Actor.CUSTOMER, "at": LATER},
        {"actor": ACTOR},
        instance=_inquiry,
    ),
    Case((Inquiry, "apply_due"), {"now": PURGED}, instance=lambda: _inquiry("resolve")),
    # -- the service (ACC-3, SEC-1 … SEC-3) -----------------------------------------------------
    Case(
        InquiryService,
        {
            "inquiries": Lazy(lambda: InMemoryInquiryRepository(InMemoryOutbox())),
            "clock": FixedClock(T0),
            "attachments": Lazy(InMemoryAttachmentStore),
            "services": Lazy(_contracts),
        },
        {
            "services": Param(
                family=(
                    *v.WRONG_OBJECT,
                    bad("a dict of services", {"tenant-1": (WAN,)}, REFUSE),
                    bad("a tuple of services", (WAN,), REFUSE),
                    bad("text", WAN, REFUSE),
                )
            )
        },
    ),
    Case(
        (InquiryService, "get"),
        {"inquiry_id": "inq-1", "by": USER},
        {"inquiry_id": ID, "by": SERVICE_BY},
        instance=_service,
    ),
    Case(
        (InquiryService, "open"),
        {
            "inquiry_id": "inq-9",
            "by": USER,
            "subject": "ＶＰＮ障害 ２件目",
            "body": "朝から接続できません",
            "contact_email": "user@example.co.jp",
            "attachments": (LOG,),
            "service": WAN,
        },
        {
            "inquiry_id": ID,
            "by": Param(extra=(*SERVICE_BY.extra, bad("an operator", STAFF, REFUSE))),
            "subject": SUBJECT,
            "body": TEXT,
            "contact_email": EMAIL,
            "attachments": ATTACHMENTS,
            "service": SERVICE_NAME,
        },
        instance=_service,
    ),
    _service_case("answer", (), STAFF, text="再起動してください"),
    _service_case("add_message", ("answer",), USER, text="まだつながりません", attachments=(SHOT,)),
    _service_case("resolve", (), USER),
    Case(
        (InquiryService, "apply_due"),
        {"now": PURGED, "by": SYSTEM},
        {
            "by": Param(
                extra=(
                    bad("a customer-side user", USER, REFUSE),
                    bad("the system's kind", "system", REFUSE),
                )
            )
        },
        instance=lambda: _service("resolve"),
    ),
    Case(PurgeReport, {"purged": ("inq-1",), "files": 1, "conflicts": (), "failed": ()}),
    # -- the in-memory adapters (INQ-2) ----------------------------------------------------------
    Case(InMemoryInquiryRepository, {"outbox": Lazy(InMemoryOutbox)}),
    Case((InMemoryInquiryRepository, "due"), {"now": PURGED}, instance=_repository),
    Case(
        (InMemoryAttachmentStore, "store"),
        {"attachment_id": "att-2"},
        {"attachment_id": ID},
        instance=InMemoryAttachmentStore,
    ),
    Case(
        (InMemoryAttachmentStore, "delete"),
        {"attachment_id": "att-log"},
        {"attachment_id": ID},
        instance=_files,
    ),
    Case(
        (InMemoryAttachmentStore, "fail_on"),
        {"attachment_id": "att-log"},
        {"attachment_id": ID},
        instance=_files,
    ),
    Case(
        (InMemoryAttachmentStore, "__contains__"),
        {"attachment_id": "att-log"},
        {"attachment_id": ID},
        instance=_files,
    ),
    Case(
        InMemoryContractedServices,
        {"services": {"tenant-1": (WAN,), "tenant-2": ["KDDI IP-VPN"]}},
        {
            "services": Param(
                family=(
                    *v.wrong_types(optional=False),
                    bad("text for a mapping", WAN, REFUSE),
                    bad("pairs for a mapping", [("tenant-1", (WAN,))], REFUSE),
                    bad("a str for the names", {"tenant-1": WAN}, REFUSE),
                    bad("bytes for the names", {"tenant-1": WAN.encode()}, REFUSE),
                    bad("None for the names", {"tenant-1": None}, REFUSE),
                    bad("an int among the names", {"tenant-1": (WAN, 7)}, REFUSE),
                    bad("a blank name", {"tenant-1": ("  ",)}, REFUSE),
                    bad("a name of 1 MB", {"tenant-1": ("x" * 1_000_000,)}, REFUSE),
                    bad("an int customer id", {7: (WAN,)}, REFUSE),
                    bad("an empty customer id", {"": (WAN,)}, REFUSE),
                    bad("no tenant at all", {}, MAY),
                )
            )
        },
    ),
    Case(
        (InMemoryContractedServices, "services_of"),
        {"customer_id": "tenant-1"},
        {"customer_id": ID},
        instance=_contracts,
    ),
]
"""Cases of the inquiries' rules, values, aggregate and service."""
