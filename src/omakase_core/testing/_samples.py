"""Aggregates of every domain for the port contract suite, built by their public commands.

One :class:`Sample` per repository of a store (PORT-1): how to build a new aggregate, and
one more command on a stored one. Every step of a race is contested: each writer's command
is valid on the state all writers loaded, and its event differs from every other writer's
(its own instant, :func:`at`, and its own data), so a record written for a writer's state
can be told from another writer's (PORT-3, PORT-5). An aggregate whose life ends after a
few commands (an ID-count change: reported applied, then complete) says so with
``lifetime``, and the race moves on to a fresh one. Everything here is module-level, so a
process started with "spawn" finds it by name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final

import attrs

from omakase_core.accounts import KDDI_PORTAL_PASSWORD, Credential, Role, Tenant
from omakase_core.calendar import JST
from omakase_core.contract import Contract, Contractor
from omakase_core.id_change import (
    IdChangeApplication,
    IdChangeStatus,
    Service,
    Target,
    decide,
)
from omakase_core.inquiry import Inquiry, InquiryStatus
from omakase_core.lifecycle import Actor
from omakase_core.ocn import (
    AccountAction,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnCustomer,
)
from omakase_core.submission import (
    ASP,
    ChangeApplication,
    ChangeMenu,
    Contact,
    DocumentKind,
    FaultContacts,
    Menu,
    NewInstallation,
    ScheduledFaultContacts,
    SiteName,
)
from omakase_core.submission.aggregate import Site

__all__ = [
    "SAMPLES",
    "T0",
    "Sample",
    "at",
    "due_id_change",
    "named_application",
    "rename",
    "sample",
    "scheduled_site",
]

T0: Final = datetime(2026, 11, 2, 10, 0, tzinfo=JST)
"""When every sample aggregate is created (a Monday)."""


def at(step: int, writer: int = 0) -> datetime:
    """Return the instant of ``writer``'s ``step``-th command, so no two writers' are equal.

    Steps are two hours apart after T0, and each writer a second after the one before.
    """
    return T0 + timedelta(hours=2 * (step + 1), seconds=writer)


@attrs.frozen(kw_only=True)
class Sample:
    """One repository of a store and the aggregates the suite stores in it.

    ``new(aggregate_id, customer_id, writer)`` builds a new aggregate, different for each
    ``writer``; ``step(aggregate, writer, step)`` runs one command on a stored aggregate,
    its event distinct for each writer, and returns ``None`` only when the aggregate's life
    allows no further command; ``lifetime`` is how many steps every new aggregate takes
    from any writers (``None``: no end); ``customer`` says whose aggregate is (for
    ``of_customer``), ``None`` when the port has no such query.
    """

    port: str
    new: Callable[[str, str, int], Any]
    step: Callable[[Any, int, int], Any]
    customer: Callable[[Any], str] | None = None
    lifetime: int | None = None


def _tag(writer: int, step: int) -> str:
    return f"w{writer}s{step}"


# -- contract (CON-5, CON-7, CON-9) ------------------------------------------------------------


def _new_contract(aggregate_id: str, customer_id: str, writer: int) -> Contract:
    del customer_id  # a contract is its own customer scope
    return Contract.open(
        id=aggregate_id,
        contractor=Contractor(name="山田 太郎", email=f"owner.w{writer}@example.co.jp"),
        opened_at=T0,
    )


def _step_contract(contract: Contract, writer: int, step: int) -> Contract:
    """Ask for a contractor change (a writer's own heir), or withdraw the pending one."""
    if contract.pending_change is not None:
        return contract.cancel_contractor_change(actor=Actor.CONTRACTOR, at=at(step, writer))
    heir = Contractor(name="佐藤 花子", email=f"heir.{_tag(writer, step)}@example.co.jp")
    return contract.request_contractor_change(actor=Actor.CONTRACTOR, new=heir, at=at(step, writer))


# -- submission (SUB-5, SUB-7) -----------------------------------------------------------------


def _new_application(aggregate_id: str, customer_id: str, writer: int) -> NewInstallation:
    return NewInstallation.create(
        id=aggregate_id,
        customer_id=customer_id,
        site=SiteName(company_abbrev="ABC", location=f"本社{writer}"),
        menu=Menu.BASIC,
        asps=[ASP.SDS],
        bandwidth_mbps=10,
        weekday_daytime=True,
        contact_email="it@example.co.jp",
        created_at=T0,
    )


def _step_application(application: NewInstallation, writer: int, step: int) -> NewInstallation:
    """Upload the writer's own application form: uploads accumulate (SUB-3(c))."""
    name = f"{_tag(writer, step)}.pdf"
    return application.upload(
        DocumentKind.APPLICATION_FORM, name, actor=Actor.CUSTOMER, at=at(step, writer)
    )


def _new_site(aggregate_id: str, customer_id: str, writer: int) -> Site:
    """Return an installed site as stored (version 0), its name the writer's own (SUB-5)."""
    return Site(
        id=aggregate_id,
        customer_id=customer_id,
        name=SiteName(company_abbrev="ABC", location=f"拠点{writer}"),
        menu=Menu.BASIC,
        bandwidth_mbps=10,
        asps=(ASP.SDS,),
        updated_at=T0,
    )


def scheduled_site(site_id: str, customer_id: str, *, days: int = 30) -> Site:
    """Return an installed site with a fault-contact change scheduled ``days`` after T0.

    SUB-3(i): the change is due at 00:00 JST of that day (``next_due_at``); built as
    stored (version 0), so ``add`` stores it with no event.
    """
    contacts = FaultContacts(
        first=Contact(
            company="株式会社拠点",
            department="保守部",
            name="保守太郎",
            phone="0312345678",
            email="hoshu@example.co.jp",
        )
    )
    return attrs.evolve(
        _new_site(site_id, customer_id, 0),
        scheduled_contacts=(
            ScheduledFaultContacts(
                application_id=f"{site_id}-contacts",
                contacts=contacts,
                effective_on=(T0 + timedelta(days=days)).date(),
            ),
        ),
    )


def named_application(application_id: str, name: SiteName, *, customer_id: str) -> Any:
    """Return a new installation of ``customer_id`` for the site ``name`` (SUB-7)."""
    return attrs.evolve(_new_application(application_id, customer_id, 0), site=name)


def rename(site: Site, application_id: str, *, at: datetime) -> ChangeApplication:
    """Return the 拠点名変更 ``application_id`` of ``site``, started at ``at`` (SUB-5)."""
    return ChangeApplication.start(
        id=application_id,
        customer_id=site.customer_id,
        site=site.name,
        menu=site.menu,
        change_menu=ChangeMenu.SITE_NAME_CHANGE,
        contact_email="it@example.co.jp",
        created_at=at,
    )


def _step_site(site: Site, writer: int, step: int) -> Site:
    """Start the writer's own 拠点名変更 (the site is locked), or close the open one (SUB-5).

    Each writer's lock names its own application; a close is told apart by its instant.
    """
    instant = at(step, writer)
    if site.renaming_by is None:
        application = rename(site, f"{site.id}-rename-{_tag(writer, step)}", at=instant)
        return site.start_change(application, at=instant)
    return site.close_rename(rename(site, site.renaming_by, at=instant), at=instant)


# -- id_change (IDC-2, IDC-8) ------------------------------------------------------------------

_REPORTED: Final = decide(
    Service.M365_ADDONS,
    target=Target.NEXT_MONTH,
    submitted_at=T0,
    delta=2,
    current_count=10,
    consented=True,
)
"""Accepted, applied "within N business days": the operator reports it applied (IDC-5)."""
_DUE: Final = decide(
    Service.M365_PLANS,
    target=Target.NEXT_MONTH,
    submitted_at=T0,
    delta=2,
    current_count=10,
    consented=True,
)
"""Accepted, pending until its exact instant (1 December 12:00), when it is due (IDC-4)."""


def _new_id_change(aggregate_id: str, customer_id: str, writer: int) -> IdChangeApplication:
    return IdChangeApplication.accept(
        id=aggregate_id,
        customer_id=customer_id,
        contact_email=f"w{writer}@example.co.jp",
        decision=_REPORTED,
    )


def due_id_change(aggregate_id: str, customer_id: str) -> IdChangeApplication:
    """Return a pending ID-count change that applies by itself at its instant (IDC-2)."""
    return IdChangeApplication.accept(
        id=aggregate_id,
        customer_id=customer_id,
        contact_email="due@example.co.jp",
        decision=_DUE,
    )


def _step_id_change(
    application: IdChangeApplication, writer: int, step: int
) -> IdChangeApplication | None:
    """Report the change applied, then complete it, each writer at its own instant (IDC-8).

    Every writer's command is valid on the state they all loaded, so each of the two steps
    of an application's life is contested (``lifetime=2``).
    """
    if application.status is IdChangeStatus.PENDING:
        return application.report_applied(actor=Actor.OPERATOR, at=at(step, writer))
    if application.status is IdChangeStatus.PROCESSING:
        return application.complete(actor=Actor.OPERATOR, at=at(step, writer))
    return None


# -- accounts (ACC-1 … ACC-8) ------------------------------------------------------------------


def _new_tenant(aggregate_id: str, customer_id: str, writer: int) -> Tenant:
    del customer_id  # a tenant is its own customer scope
    return Tenant.open(
        id=aggregate_id,
        admin_id=f"admin.w{writer}@example.co.jp",
        family_name="山田",
        given_name="太郎",
        opened_at=T0,
    )


def _step_tenant(tenant: Tenant, writer: int, step: int) -> Tenant:
    """Add the writer's own user: users accumulate, so a lost update shows (ACC-3)."""
    return tenant.add_user(
        user_id=f"{_tag(writer, step)}@example.co.jp",
        role=Role.USER,
        family_name="佐藤",
        given_name="花子",
        actor=Actor.CUSTOMER,
        actor_role=Role.ADMIN,
        at=at(step, writer),
    )


def _new_credential(aggregate_id: str, customer_id: str, writer: int) -> Credential:
    return Credential.create(
        id=aggregate_id,
        customer_id=customer_id,
        user_id=f"user.w{writer}@example.co.jp",
        password_hash=f"hash-w{writer}",
        at=T0,
    )


def _step_credential(credential: Credential, writer: int, step: int) -> Credential:
    """Change the password to the writer's own hash; the old one joins the history (ACC-2)."""
    return credential.change(
        password_hash=f"hash-{_tag(writer, step)}",
        policy=KDDI_PORTAL_PASSWORD,
        at=at(step, writer),
    )


# -- ocn (OCN-1 … OCN-3) -----------------------------------------------------------------------


def _new_ocn_customer(aggregate_id: str, customer_id: str, writer: int) -> OcnCustomer:
    del customer_id  # an OCN customer is its own customer scope
    return OcnCustomer(id=aggregate_id, accounts=(f"taro.w{writer}",), updated_at=T0)


def _step_ocn_customer(customer: OcnCustomer, writer: int, step: int) -> OcnCustomer:
    """Apply for the writer's own new account (its password's hash), or cancel the one pending."""
    if customer.mail_change_status is MailChangeStatus.REQUESTED:
        return customer.cancel_mail_change(actor=Actor.CUSTOMER, at=at(step, writer))
    request = MailChangeRequest(
        pattern=MailChangePattern.ACCOUNT_ONLY,
        action=AccountAction.ADD,
        new_name=_tag(writer, step),
    )
    return customer.apply_mail_change(
        request,
        actor=Actor.CUSTOMER,
        at=at(step, writer),
        password_hash=f"hash-{_tag(writer, step)}",
    )


# -- inquiry (INQ-1 … INQ-3) -------------------------------------------------------------------


def _new_inquiry(aggregate_id: str, customer_id: str, writer: int) -> Inquiry:
    return Inquiry.open(
        id=aggregate_id,
        customer_id=customer_id,
        subject="VPN",
        body=f"つながりません (w{writer})",
        contact_email="sato@example.co.jp",
        at=T0,
    )


def _step_inquiry(inquiry: Inquiry, writer: int, step: int) -> Inquiry | None:
    """Answer (the operator) or write back (the customer): messages accumulate (INQ-1)."""
    text = f"message {_tag(writer, step)}"
    if inquiry.status is InquiryStatus.RECEIVED:
        return inquiry.answer(text, actor=Actor.OPERATOR, at=at(step, writer))
    if inquiry.status is InquiryStatus.ANSWERED:
        return inquiry.add_message(text, actor=Actor.CUSTOMER, at=at(step, writer))
    return None


def _customer_id(aggregate: Any) -> str:
    customer: str = aggregate.customer_id
    return customer


SAMPLES: Final[tuple[Sample, ...]] = (
    Sample(port="contracts", new=_new_contract, step=_step_contract),
    Sample(
        port="applications",
        new=_new_application,
        step=_step_application,
        customer=_customer_id,
    ),
    Sample(port="sites", new=_new_site, step=_step_site, customer=_customer_id),
    Sample(
        port="id_changes",
        new=_new_id_change,
        step=_step_id_change,
        customer=_customer_id,
        lifetime=2,
    ),
    Sample(port="tenants", new=_new_tenant, step=_step_tenant),
    Sample(port="credentials", new=_new_credential, step=_step_credential),
    Sample(port="ocn_customers", new=_new_ocn_customer, step=_step_ocn_customer),
    Sample(port="inquiries", new=_new_inquiry, step=_step_inquiry),
)
"""One sample per repository of a store, in the order of :class:`~omakase_core.testing.Store`."""


def sample(port: str) -> Sample:
    """Return the sample of the repository named ``port``."""
    for found in SAMPLES:
        if found.port == port:
            return found
    msg = f"no sample for the port {port!r}"
    raise LookupError(msg)
