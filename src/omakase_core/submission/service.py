"""Use cases of Connecure applications over the ports (SUB-2 … SUB-8, SEC-1 … SEC-3).

Every command and look-up is made by a principal ``by`` (SEC-1) and runs in the same
order: :func:`~omakase_core.principal.load_owned` checks the principal, the id, loads the
application, checks its owner — a customer principal sees only its own customer's
applications, and another customer's answers exactly as an absent one
(:class:`~omakase_core.errors.NotFound`) — and the version the user's screen showed
(``expected_version``, SEC-3); then the clock is read (after the load, so a lost race is a
:class:`~omakase_core.errors.ConcurrencyConflict` at save time, never a time-order error);
then the aggregate command runs with ``actor=by.actor``, so the charts decide which moves
are the customer's and which the operator's (SUB-2); then the result is saved with the
loaded version, the recorded event going to the outbox in the same unit of work. A command
returns the application as saved, with its new event still in ``pending_events`` for the
caller to look at (the stored copy has none). A refused command changes nothing.

Starting an application also checks the customer's other applications: site names are
unique per customer (SUB-7) and a pending 拠点名変更 locks its site (SUB-5).

Decisions (the rulebook is silent):

- Creating (``create_new_installation``, ``start_change``): ``customer_id`` defaults to the
  customer principal's own; a customer principal naming another customer is refused with
  :class:`~omakase_core.errors.PermissionDenied` (SEC-1). An operator may create for any
  customer and must name it. The system and a contractor (an おまかせログイン principal)
  create nothing. Creating takes no ``expected_version``: no screen showed a version of an
  application that does not exist yet. An id already taken is one ``ValidationError``
  naming ``application_id`` (SEC-1, :func:`~omakase_core.principal.add_new`), the same
  whoever holds the id, never a ``ConcurrencyConflict`` giving the stored version away.
- A contractor principal sees no Connecure application (``NotFound``, as if absent).
- ``get`` takes ``by`` (ownership as for a command) but no ``expected_version``.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from omakase_core._validation import port_validator
from omakase_core.calendar import to_jst
from omakase_core.errors import PermissionDenied, ValidationError
from omakase_core.ports import Clock  # attrs fields
from omakase_core.principal import (
    Principal,
    PrincipalKind,
    add_new,
    check_id,
    check_principal,
    load_owned,
)
from omakase_core.submission.aggregate import (
    Application,
    ChangeApplication,
    FaultContacts,
    NewInstallation,
)
from omakase_core.submission.model import (  # at run time: the signatures resolve (SEC-2 test)
    ASP,
    ChangeMenu,
    DocumentKind,
    Menu,
    SiteName,
    excerpt,
)
from omakase_core.submission.ports import ApplicationRepository  # attrs fields
from omakase_core.submission.rules import ConstructionSchedule, validate_site_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import date, datetime

__all__ = ["SubmissionService"]

A = TypeVar("A", bound=Application)

_KIND: Final = "application"
"""What ``NotFound`` calls an application: the in-memory repository's word."""
_CUSTOMER_OF: Final[Callable[[Application], str]] = attrgetter("customer_id")
_SITE_PARTS: Final = frozenset({"company_abbrev", "location"})
_REPOSITORY_METHODS: Final = ("get", "add", "save", "of_customer")


@attrs.frozen(kw_only=True)
class SubmissionService:
    """The Connecure application commands for a portal, over its repository and clock."""

    applications: ApplicationRepository = attrs.field(
        validator=port_validator("an ApplicationRepository", *_REPOSITORY_METHODS)
    )
    clock: Clock = attrs.field(validator=port_validator("a Clock", "now"))

    def get(self, application_id: str, *, by: Principal) -> Application:
        """Return the stored application ``by`` may see (SEC-1).

        ``NotFound`` if there is none, and exactly the same ``NotFound`` if it belongs to
        another customer.
        """
        return self._load(application_id, by, None)

    # -- creating -------------------------------------------------------------------------------

    def create_new_installation(  # noqa: PLR0913  # the form has that many parts
        self,
        application_id: str,
        *,
        by: Principal,
        site: SiteName,
        menu: Menu,
        asps: Iterable[ASP],
        bandwidth_mbps: float,
        weekday_daytime: bool,
        contact_email: str,
        customer_id: str | None = None,
        billing_changed: bool = False,
    ) -> NewInstallation:
        """Start a new installation with its menu's documents (SUB-7, SUB-8, SUB-9).

        ``customer_id`` is ``by``'s own for a customer principal (naming another customer is
        refused, SEC-1); an operator names the customer it creates for. A taken
        ``application_id`` is a ``ValidationError`` naming it, alike whoever holds it (SEC-1).
        """
        customer = self._creator(by, customer_id, "create_new_installation")
        identifier = check_id(application_id, field="application_id")
        application = NewInstallation.create(
            id=identifier,
            customer_id=customer,
            site=site,
            menu=menu,
            asps=asps,
            bandwidth_mbps=bandwidth_mbps,
            weekday_daytime=weekday_daytime,
            contact_email=contact_email,
            created_at=self._now(),
            billing_changed=billing_changed,
        )
        others = self.applications.of_customer(customer)
        validate_site_name(site.company_abbrev, site.location, [a.site for a in others])
        add_new(self.applications, application, id=identifier, field="application_id")
        return application

    def start_change(  # noqa: PLR0913  # the change form has that many options
        self,
        application_id: str,
        *,
        by: Principal,
        site: SiteName,
        menu: Menu,
        change_menu: ChangeMenu,
        contact_email: str,
        customer_id: str | None = None,
        asp_change: Iterable[ASP] | None = None,
        bandwidth_mbps: float | None = None,
        fault_contact_change: bool = False,
        one_time_fee_billing: bool = False,
        monthly_billing_change: bool = False,
    ) -> ChangeApplication:
        """Start a change application for an installed site (SUB-4 … SUB-6).

        Refused while the site has a 拠点名変更 that is not 承諾 (SUB-5). ``customer_id`` and a
        taken ``application_id`` as for :meth:`create_new_installation` (SEC-1).
        """
        customer = self._creator(by, customer_id, "start_change")
        identifier = check_id(application_id, field="application_id")
        application = ChangeApplication.start(
            id=identifier,
            customer_id=customer,
            site=site,
            menu=menu,
            change_menu=change_menu,
            contact_email=contact_email,
            created_at=self._now(),
            asp_change=asp_change,
            bandwidth_mbps=bandwidth_mbps,
            fault_contact_change=fault_contact_change,
            one_time_fee_billing=one_time_fee_billing,
            monthly_billing_change=monthly_billing_change,
        )
        for other in self.applications.of_customer(customer):
            if isinstance(other, ChangeApplication) and other.site == site and other.locks_site:
                msg = (
                    f"{site} has a 拠点名変更 ({other.id}) that is not 承諾 yet; no other change "
                    "application can be started for the site until it is"
                )
                raise ValidationError(msg, field="site", rule="SUB-5")
        add_new(self.applications, application, id=identifier, field="application_id")
        return application

    # -- commands on a stored application -------------------------------------------------------

    def send(  # noqa: PLR0913  # the document, the event, who, a comment and the version seen
        self,
        application_id: str,
        kind: DocumentKind,
        event: str,
        *,
        by: Principal,
        comment: str | None = None,
        expected_version: int | None = None,
    ) -> Application:
        """Move a document on (SUB-2, SUB-3) as ``by``; see :meth:`Application.send`."""
        application = self._load(application_id, by, expected_version)
        return self._save(
            application,
            application.send(kind, event, actor=by.actor, at=self._now(), comment=comment),
        )

    def upload(
        self,
        application_id: str,
        kind: DocumentKind,
        file_name: str,
        *,
        by: Principal,
        expected_version: int | None = None,
    ) -> Application:
        """Attach an uploaded file to a document (SUB-3 (a), (c), (h)); the customer's."""
        application = self._load(application_id, by, expected_version)
        return self._save(
            application, application.upload(kind, file_name, actor=by.actor, at=self._now())
        )

    def fill_in(
        self,
        application_id: str,
        kind: DocumentKind,
        details: Mapping[str, str],
        *,
        by: Principal,
        expected_version: int | None = None,
    ) -> Application:
        """Fill in a document's details; a new site name must stay unique (SUB-3, SUB-7)."""
        application = self._load(application_id, by, expected_version)
        updated = application.fill_in(kind, details, actor=by.actor, at=self._now())
        if kind is DocumentKind.SITE_NAME_CHANGE and not _SITE_PARTS.isdisjoint(details):
            new = updated.document(kind).details
            if set(new) >= _SITE_PARTS:
                others = [
                    a.site
                    for a in self.applications.of_customer(application.customer_id)
                    if a.site != application.site
                ]
                validate_site_name(new["company_abbrev"], new["location"], others)
        return self._save(application, updated)

    def set_fault_contacts(  # noqa: PLR0913  # the document, its contacts, who, date, version
        self,
        application_id: str,
        kind: DocumentKind,
        contacts: FaultContacts,
        *,
        by: Principal,
        change_date: date | None = None,
        expected_version: int | None = None,
    ) -> Application:
        """Give the fault contacts of (e) or (i) (SUB-3); the customer's."""
        application = self._load(application_id, by, expected_version)
        return self._save(
            application,
            application.set_fault_contacts(
                kind, contacts, actor=by.actor, at=self._now(), change_date=change_date
            ),
        )

    def set_deadline(
        self,
        application_id: str,
        kind: DocumentKind,
        deadline: date,
        *,
        by: Principal,
        expected_version: int | None = None,
    ) -> Application:
        """Set a document's submission deadline (提出締切日); the operator's."""
        application = self._load(application_id, by, expected_version)
        return self._save(
            application, application.set_deadline(kind, deadline, actor=by.actor, at=self._now())
        )

    def set_schedule(
        self,
        application_id: str,
        schedule: ConstructionSchedule,
        *,
        by: Principal,
        expected_version: int | None = None,
    ) -> NewInstallation:
        """Give the construction preferences of a new installation (SUB-10); the customer's."""
        return self._run_new(
            application_id,
            by,
            expected_version,
            lambda a, now: a.set_schedule(schedule, actor=by.actor, at=now),
        )

    def request_billing_correction(
        self, application_id: str, *, by: Principal, expected_version: int | None = None
    ) -> NewInstallation:
        """Add the billing correction (f) to a new installation (SUB-3(f)); the customer's."""
        return self._run_new(
            application_id,
            by,
            expected_version,
            lambda a, now: a.request_billing_correction(actor=by.actor, at=now),
        )

    def record_construction_completed(
        self,
        application_id: str,
        completed_on: date,
        *,
        by: Principal,
        expected_version: int | None = None,
    ) -> NewInstallation:
        """Record completed construction, enabling 承諾 of (a) (SUB-12); the operator's."""
        return self._run_new(
            application_id,
            by,
            expected_version,
            lambda a, now: a.record_construction_completed(completed_on, actor=by.actor, at=now),
        )

    # -- helpers --------------------------------------------------------------------------------

    def _creator(self, by: object, customer_id: object, event: str) -> str:
        """Return the customer a new application is for, if ``by`` may create it (SEC-1)."""
        principal = check_principal(by)
        if principal.kind is PrincipalKind.CUSTOMER:
            own = principal.customer_id
            if own is not None and (customer_id is None or customer_id == own):
                return own
            check_id(customer_id, field="customer_id")
            msg = (
                f"{principal!r} may create applications only for its own customer, "
                f"not for {excerpt(customer_id)}"
            )
            raise PermissionDenied(msg, actor=str(principal.actor), event=event, rule="SEC-1")
        if principal.kind is PrincipalKind.OPERATOR:
            if customer_id is None:
                msg = "an operator must name the customer_id the application is for"
                raise ValidationError(msg, field="customer_id", rule="SEC-1")
            return check_id(customer_id, field="customer_id")
        msg = f"{principal!r} cannot create Connecure applications; the customer or an operator can"
        raise PermissionDenied(msg, actor=str(principal.actor), event=event, rule="SEC-1")

    def _load(
        self, application_id: object, by: object, expected_version: int | None
    ) -> Application:
        return load_owned(
            self.applications,
            application_id,
            by=by,
            kind=_KIND,
            expected_version=expected_version,
            customer_of=_CUSTOMER_OF,
            field="application_id",
        )

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")

    def _run_new(
        self,
        application_id: str,
        by: Principal,
        expected_version: int | None,
        command: Callable[[NewInstallation, datetime], NewInstallation],
    ) -> NewInstallation:
        application = self._load(application_id, by, expected_version)
        if not isinstance(application, NewInstallation):
            msg = f"{application.id} is a change application, not a new installation"
            raise ValidationError(msg, field="application_id", rule="SUB-8")
        return self._save(application, command(application, self._now()))

    def _save(self, loaded: Application, updated: A) -> A:
        self.applications.save(updated, expected_version=loaded.version)
        return updated
