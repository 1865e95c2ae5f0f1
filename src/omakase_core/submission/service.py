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

Site names are checked twice (SUB-7): first by reading the customer's sites and open
applications (a clear error in the common case), then by the site repository's register
of names, written in the same unit of work as the application — a creation takes its
name, a 拠点名変更 its new name (once both parts are filled in), a rename's 承諾 moves the
name to the site and frees the old one, closing releases what the application held. Of
two commands that both read a name as free, one stores it; the other is refused with the
same ``ValidationError`` (``site_name``, SUB-7) the read gives, and writes nothing.
Commands that change no site and no name save the application alone, without reading
anything more.

Fault contacts (SUB-3(i), SUB-5): when a 故障連絡先変更 document becomes 承諾, the site takes
its contacts at once if it has no change date or the date has come (JST), else keeps them
scheduled; :meth:`SubmissionService.apply_due` — a sweep of the system or an operator —
applies each scheduled change on its date.

Decisions (the rulebook is silent):

- Creating (``create_new_installation``, ``start_change``): ``customer_id`` defaults to the
  customer principal's own; a customer principal naming another customer is refused with
  :class:`~omakase_core.errors.PermissionDenied` (SEC-1). An operator may create for any
  customer and must name it. The system and a contractor (an おまかせログイン principal)
  create nothing. Creating takes no ``expected_version``: no screen showed a version of an
  application that does not exist yet. An id already taken is one ``ValidationError``
  naming ``application_id`` (SEC-1, as :func:`~omakase_core.principal.add_new` answers), the
  same whoever holds the id, never a ``ConcurrencyConflict`` giving the stored version away.
- A contractor principal sees no Connecure application (``NotFound``, as if absent).
- ``get`` takes ``by`` (ownership as for a command) but no ``expected_version``.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from omakase_core._validation import count_validator, ids_validator, port_validator
from omakase_core.calendar import to_jst
from omakase_core.errors import ConcurrencyConflict, NotFound, PermissionDenied, ValidationError
from omakase_core.ports import Clock  # attrs fields
from omakase_core.principal import (
    Principal,
    PrincipalKind,
    check_id,
    check_principal,
    load_owned,
)
from omakase_core.submission.aggregate import (
    Application,
    ChangeApplication,
    FaultContacts,
    NewInstallation,
    Site,
)
from omakase_core.submission.model import (  # at run time: the signatures resolve (SEC-2 test)
    ASP,
    ChangeMenu,
    DocumentKind,
    DocumentStatusChanged,
    Menu,
    SiteName,
    SubmissionStatus,
    excerpt,
)
from omakase_core.submission.ports import ApplicationRepository, SiteRepository  # attrs fields
from omakase_core.submission.rules import ConstructionSchedule, validate_site_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import date, datetime

__all__ = ["SiteSweepReport", "SubmissionService"]

A = TypeVar("A", bound=Application)

_KIND: Final = "application"
"""What ``NotFound`` calls an application: the in-memory repository's word."""
_CUSTOMER_OF: Final[Callable[[Application], str]] = attrgetter("customer_id")
_SITE_CUSTOMER_OF: Final[Callable[[Site], str]] = attrgetter("customer_id")
_SITE_PARTS: Final = frozenset({"company_abbrev", "location"})
_REPOSITORY_METHODS: Final = ("get", "add", "save", "of_customer")
_SITE_METHODS: Final = ("get", "add", "save", "of_customer", "due", "save_with_application")
_DONE: Final = frozenset({SubmissionStatus.ACCEPTED, SubmissionStatus.SHIPPED})
"""The statuses of a done document (:attr:`Document.done`): only reaching one changes a site."""
_BACK_OFFICE: Final = frozenset({PrincipalKind.OPERATOR, PrincipalKind.SYSTEM})
"""The principals that see every application (SEC-1)."""
_SITE_KIND: Final = "site"
"""What ``NotFound`` calls a site."""
_NOTHING: Final[tuple[None, None, None]] = (None, None, None)
"""What :meth:`SubmissionService._site_change` answers for a command that changes no site
and no name: the application is saved alone."""

Names = dict[str, tuple[SiteName, ...]]
"""The names a save gives its holders in the register (SUB-7): holder id → names."""


_ids = ids_validator("site ids", "SEC-2")
_count = count_validator("SEC-2")


@attrs.frozen(kw_only=True)
class SiteSweepReport:
    """What one :meth:`SubmissionService.apply_due` sweep did (SUB-3(i)).

    ``changed`` lists the sites saved with their due fault-contact changes applied,
    ``events`` counts the events recorded for them, ``conflicts`` the sites whose save lost
    a race (changed meanwhile): they stay due for the next sweep.
    """

    changed: tuple[str, ...] = attrs.field(validator=_ids)
    events: int = attrs.field(validator=_count)
    conflicts: tuple[str, ...] = attrs.field(default=(), validator=_ids)


@attrs.frozen(kw_only=True)
class SubmissionService:
    """The Connecure application commands for a portal, over its repository and clock."""

    applications: ApplicationRepository = attrs.field(
        validator=port_validator("an ApplicationRepository", *_REPOSITORY_METHODS)
    )
    clock: Clock = attrs.field(validator=port_validator("a Clock", "now"))
    sites: SiteRepository = attrs.field(
        validator=port_validator("a SiteRepository", *_SITE_METHODS)
    )

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
        The site name is checked against the customer's sites and open applications, then
        taken in the register of names together with the application
        (:meth:`SiteRepository.save_with_application`): of two creations of one name at
        once, one is stored and the other refused (``site_name``, SUB-7), writing nothing.
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
        self._check_name_free(customer, site, application_id=identifier)
        try:  # the name is taken in the register as the application is added (SUB-7)
            self._save_with(None, None, application, None, {identifier: (application.site,)})
        except ConcurrencyConflict as conflict:
            if conflict.actual_version is None:  # not a taken id: a lost race of the store
                raise
            msg = (
                f"application_id {excerpt(identifier)} cannot be used; "
                "choose another application_id (generate one, e.g. with uuid4)"
            )
            raise ValidationError(
                msg, field="application_id", rule="SEC-1", problem="in_use"
            ) from None
        return application

    def start_change(  # noqa: PLR0913  # the change form has that many options
        self,
        application_id: str,
        *,
        by: Principal,
        site_id: str,
        change_menu: ChangeMenu,
        contact_email: str,
        asp_change: Iterable[ASP] | None = None,
        fault_contact_change: bool = False,
        one_time_fee_billing: bool = False,
        monthly_billing_change: bool = False,
    ) -> ChangeApplication:
        """Start a change application for the installed site ``site_id`` (SUB-4 … SUB-6).

        The site is loaded first, as any aggregate ``by`` acts on (SEC-1: another customer's
        site answers as an absent one); the application is for its customer, its name, its
        menu and its bandwidth plan — the caller does not restate them (SUB-5). Refused while
        the site has a 拠点名変更 neither 承諾 nor closed (SUB-5, from the stored site); a
        拠点名変更 locks it. The site and the new application are stored in one unit of work
        (:meth:`SiteRepository.save_with_application`), so of two changes started at once
        for one site, one wins and the other is a ``ConcurrencyConflict`` that stores
        nothing. A taken ``application_id`` is a ``ValidationError`` naming it, alike whoever
        holds it (SEC-1).
        """
        principal = check_principal(by)
        if principal.kind not in {PrincipalKind.CUSTOMER, PrincipalKind.OPERATOR}:
            msg = f"{principal!r} cannot start Connecure changes; the customer or an operator can"
            raise PermissionDenied(
                msg, actor=str(principal.actor), event="start_change", rule="SEC-1"
            )
        site = load_owned(
            self.sites,
            site_id,
            by=principal,
            kind=_SITE_KIND,
            expected_version=None,
            customer_of=_SITE_CUSTOMER_OF,
            field="site_id",
        )
        identifier = check_id(application_id, field="application_id")
        application = ChangeApplication.start(
            id=identifier,
            customer_id=site.customer_id,
            site=site.name,
            menu=site.menu,
            change_menu=change_menu,
            contact_email=contact_email,
            created_at=self._now(),
            asp_change=asp_change,
            bandwidth_mbps=site.bandwidth_mbps if asp_change is not None else None,
            fault_contact_change=fault_contact_change,
            one_time_fee_billing=one_time_fee_billing,
            monthly_billing_change=monthly_billing_change,
            site_id=site.id,
        )
        locked = site.start_change(application, at=application.updated_at)
        _check_id_free(self.applications, identifier)
        self.sites.save_with_application(
            locked, site_version=site.version, application=application, application_version=None
        )
        return application

    def get_site(self, site_id: str, *, by: Principal) -> Site:
        """Return the installed site ``by`` may see (SEC-1); another customer's is ``NotFound``."""
        return load_owned(
            self.sites,
            site_id,
            by=by,
            kind=_SITE_KIND,
            expected_version=None,
            customer_of=_SITE_CUSTOMER_OF,
            field="site_id",
        )

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
        """Move a document on (SUB-2, SUB-3) as ``by``; see :meth:`Application.send`.

        Submitting a 拠点名変更 checks its new name again (SUB-7): a name taken since it was
        filled in is refused, and nothing changes.
        """
        application = self._loaded(application_id, by, expected_version)  # SEC-1, SEC-3
        updated = application.send(
            kind, event, actor=by.actor, at=to_jst(self.clock.now(), field="now"), comment=comment
        )
        if kind is DocumentKind.SITE_NAME_CHANGE and event == "submit":
            self._check_rename_free(updated)
        # Only a document becoming done can change a site: any other step is saved alone.
        recorded = updated.pending_events[-1]  # send records one DocumentStatusChanged
        if not isinstance(recorded, DocumentStatusChanged) or recorded.target in _DONE:
            return self._save(application, updated)
        self.applications.save(updated, expected_version=application.version)
        return updated

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
        if kind is DocumentKind.SITE_NAME_CHANGE:  # each part, in one step or two (SUB-7)
            self._check_rename_free(updated)
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
    ) -> Application:
        """Record completed construction, enabling 承諾 of the form; the operator's.

        For a new installation it enables 承諾 of (a) and fixes the first billed month
        (SUB-12); for a 設定変更 it enables 承諾 of its change form (SUB-17). Other change
        applications have no construction (``ValidationError`` naming ``application_id``).
        """
        application = self._load(application_id, by, expected_version)
        if not isinstance(application, NewInstallation | ChangeApplication):
            msg = f"{application.id} has no construction to record"
            raise ValidationError(msg, field="application_id", rule="SUB-17")
        return self._save(
            application,
            application.record_construction_completed(completed_on, actor=by.actor, at=self._now()),
        )

    def close(
        self, application_id: str, *, by: Principal, expected_version: int | None = None
    ) -> Application:
        """Close (取消) an application (SUB-16); terminal, see :meth:`Application.close`.

        The customer may close one none of whose documents is under review or done, the
        operator any that is not complete. A closed 拠点名変更 releases its site's lock and
        the name it reserved, in the same unit of work (SUB-5, SUB-7).
        """
        application = self._load(application_id, by, expected_version)
        return self._save(application, application.close(actor=by.actor, at=self._now()))

    # -- the sweep (SUB-3(i)) -----------------------------------------------------------------

    def apply_due(self, now: datetime, *, by: Principal) -> SiteSweepReport:
        """Apply every scheduled fault-contact change whose date has come at ``now`` (SUB-3(i)).

        Only the system or an operator sweeps (SEC-1). Each site the repository finds due
        (its earliest scheduled change dated on or before the JST date of ``now``) takes
        the contacts of every change due, in date order, and is saved with one
        ``SiteFaultContactsChanged`` per change (SUB-5). Idempotent: a second sweep finds
        nothing due; a sweep that stopped halfway leaves the rest due for the next one. A
        site changed meanwhile is skipped and reported in ``conflicts``.
        """
        principal = check_principal(by)
        if not principal.is_back_office:
            msg = f"only the system or an operator sweeps sites, not a {principal.kind.value}"
            raise PermissionDenied(msg, actor=str(principal.actor), event="apply_due", rule="SEC-1")
        instant = to_jst(now, field="now")
        changed: list[str] = []
        conflicts: list[str] = []
        events = 0
        for site in list(self.sites.due(instant)):
            updated = site.apply_due(instant)
            if updated is site:
                continue  # not due after all (an adapter's due() may be generous)
            try:
                self.sites.save(updated, expected_version=site.version)
            except ConcurrencyConflict:
                conflicts.append(site.id)
                continue
            changed.append(site.id)
            events += len(updated.pending_events)
        return SiteSweepReport(changed=tuple(changed), events=events, conflicts=tuple(conflicts))

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

    def _loaded(
        self, application_id: object, by: object, expected_version: int | None
    ) -> Application:
        """Return what :meth:`_load` returns, the common case first (the hottest command's).

        A principal of the back office, or the customer whose application it is, with the
        stored version when it names one: answered from one repository read. Anything else
        — an absent or foreign id, a malformed argument, a stale version — goes through
        :func:`~omakase_core.principal.load_owned`, which refuses it exactly as any command
        does (SEC-1, SEC-3).
        """
        if type(by) is Principal and type(application_id) is str:
            try:
                found = self.applications.get(application_id)
            except NotFound:
                found = None
            if (
                found is not None
                and (
                    expected_version is None
                    or (type(expected_version) is int and expected_version == found.version)
                )
                and (
                    by.kind in _BACK_OFFICE
                    or (by.kind is PrincipalKind.CUSTOMER and by.scope == found.customer_id)
                )
            ):
                return found
        return self._load(application_id, by, expected_version)

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
        """Save ``updated``, with the change it makes to its site and names in one unit of work.

        A new installation that became complete creates its site; a 拠点名変更 that became
        承諾 renames its site, one closed unaccepted releases the lock; a 設定変更 whose
        form became 承諾 gives the site its ASPs; a 故障連絡先変更 that became 承諾 gives it
        its fault contacts, now or on their date (SUB-3(i), SUB-5, SUB-16). The names the
        application takes, moves or releases go to the register with it (SUB-7).
        """
        site, site_version, names = self._site_change(loaded, updated)
        if site is None and names is None:
            self.applications.save(updated, expected_version=loaded.version)
        else:
            self._save_with(site, site_version, updated, loaded.version, names)
        return updated

    def _save_with(
        self,
        site: Site | None,
        site_version: int | None,
        application: Application,
        application_version: int | None,
        names: Names | None,
    ) -> None:
        """Store through :meth:`SiteRepository.save_with_application` (SUB-5, SUB-7).

        A name the register finds taken is refused as the read-check refuses it: a
        ``ValidationError`` naming ``site_name`` (SUB-7); nothing was written.
        """
        try:
            self.sites.save_with_application(
                site,
                site_version=site_version,
                application=application,
                application_version=application_version,
                names=names,
            )
        except ValidationError as error:
            if error.rule != "SUB-7" or error.field != "names":
                raise
            raise ValidationError(error.message, field="site_name", rule="SUB-7") from None

    def _site_change(
        self, loaded: Application, updated: Application
    ) -> tuple[Site | None, int | None, Names | None]:
        """Return the site ``updated`` changes, the version it was loaded at, and the names.

        Every command saves through here, so what cannot apply is skipped before any
        look-up: a new installation changes its site only when its last document became
        done (and its name only when it was just closed), a change application only when
        it was just closed or its 拠点名変更, 設定変更 or 故障連絡先変更 document just became
        承諾; only then are the customer's sites read. A 拠点名変更's new name is found from
        the application itself (:func:`_names_change`), without a read.
        """
        if isinstance(updated, NewInstallation):
            return self._installation_change(loaded, updated)
        if not isinstance(updated, ChangeApplication):
            return _NOTHING
        at = updated.updated_at
        names = _names_change(loaded, updated)
        site = self._site_for(updated) if _may_change_site(loaded, updated) else None
        if site is None:
            return None, None, names
        changed: Site | None = None
        if site.renaming_by == updated.id:
            target = _rename_target(updated)
            if target is not None and _newly(loaded, updated, DocumentKind.SITE_NAME_CHANGE):
                changed = site.rename(updated, target, at=at)
                names = {site.id: (target,), updated.id: ()}  # the old name is free (SUB-7)
            elif _closed(updated) and not _closed(loaded):
                changed = site.close_rename(updated, at=at)
        elif (
            updated.change_menu is ChangeMenu.CONFIGURATION_CHANGE
            and updated.asps_after_change is not None
            and _newly(loaded, updated, DocumentKind.CONFIGURATION_CHANGE)
        ):
            changed = site.change_asps(updated, at=at)
        elif _newly_held(loaded, updated, DocumentKind.FAULT_CONTACT_CHANGE):
            changed = site.change_fault_contacts(updated, at=at)
        return changed, None if changed is None else site.version, names

    def _installation_change(
        self, loaded: Application, updated: NewInstallation
    ) -> tuple[Site | None, None, Names | None]:
        """Return the site a new installation creates, or the name it releases (SUB-5, SUB-7).

        Its site when its last document just became done (the site has the installation's
        id, so it keeps the installation's name in the register); its name's release when
        it was just closed before its site existed (SUB-16).
        """
        if _closed(updated) and not _closed(loaded):
            return None, None, None if _all_done(updated) else {updated.id: ()}
        installed = _all_done(updated) and not _all_done(loaded)
        if not installed or self._has_site(updated.id):  # a document added after (f)
            return _NOTHING
        return Site.install(updated, at=updated.updated_at), None, None

    def _has_site(self, site_id: str) -> bool:
        """Return whether the installation ``site_id`` already created its site (SUB-5)."""
        try:
            self.sites.get(site_id)
        except NotFound:
            return False
        return True

    def _site_for(self, application: ChangeApplication) -> Site | None:
        """Return the stored site ``application`` was started for (SUB-5).

        By its ``site_id``; data stored before sites existed names none, and its site is
        found by the name it was started with.
        """
        if application.site_id is not None:
            try:
                return self.sites.get(application.site_id)
            except NotFound:
                return None
        for site in self.sites.of_customer(application.customer_id):
            if site.renaming_by == application.id or site.name == application.site:
                return site
        return None

    def _names_in_use(self, customer_id: str, *, besides: str | None) -> list[SiteName]:
        """Return the site names taken for the customer (SUB-7), ``besides`` one application.

        Taken: every stored site's name, the name of every new installation neither complete
        nor closed, and the new name an open 拠点名変更 reserves (both parts filled in).
        """
        names = [site.name for site in self.sites.of_customer(customer_id)]
        for other in self.applications.of_customer(customer_id):
            if other.id == besides or _closed(other) or other.progress().complete:
                continue
            if isinstance(other, NewInstallation):
                names.append(other.site)
            elif isinstance(other, ChangeApplication):
                reserved = _rename_target(other)
                if reserved is not None:
                    names.append(reserved)
        return names

    def _check_name_free(self, customer_id: str, name: SiteName, *, application_id: str) -> None:
        taken = self._names_in_use(customer_id, besides=application_id)
        validate_site_name(name.company_abbrev, name.location, taken)

    def _check_rename_free(self, application: Application) -> None:
        """Refuse a 拠点名変更's new name that a site or an open application holds (SUB-7)."""
        if not isinstance(application, ChangeApplication):
            return
        target = _rename_target(application)
        if target is not None:
            self._check_name_free(application.customer_id, target, application_id=application.id)


def _all_done(application: Application) -> bool:
    """Return whether every document is 承諾 or later: the installation is complete."""
    for document in application.documents:  # noqa: SIM110  # not all(): every save asks
        if not document.done:
            return False
    return True


def _may_change_site(loaded: Application, updated: ChangeApplication) -> bool:
    """Return whether saving ``updated`` may change its site (SUB-3(i), SUB-5, SUB-16).

    Only when it was just closed, or the form of its change menu (拠点名変更, 設定変更) or
    its 故障連絡先変更 document (a 設定変更 may hold one, SUB-6) just became 承諾; anything
    else leaves the site as it is, so it is not even looked up.
    """
    if _closed(updated) and not _closed(loaded):
        return True
    menu = updated.change_menu
    if menu is ChangeMenu.SITE_NAME_CHANGE:
        return _newly(loaded, updated, DocumentKind.SITE_NAME_CHANGE)
    if menu is ChangeMenu.CONFIGURATION_CHANGE:
        return _newly(loaded, updated, DocumentKind.CONFIGURATION_CHANGE) or _newly_held(
            loaded, updated, DocumentKind.FAULT_CONTACT_CHANGE
        )
    if menu is ChangeMenu.FAULT_CONTACT_CHANGE:
        return _newly(loaded, updated, DocumentKind.FAULT_CONTACT_CHANGE)
    return False


def _names_change(loaded: Application, updated: ChangeApplication) -> Names | None:
    """Return the names a 拠点名変更 holds after this command, if they change (SUB-7, SUB-16).

    Its new name once both parts are filled in (in one step or two, and whenever a part
    changes); nothing once it is 承諾 (the site takes the name,
    :meth:`SubmissionService._site_change`) or closed. ``None`` (no change) for every other
    command and every other change menu. A rename filled in before the register existed
    holds no row; the read-check still sees its name, and its 承諾 writes the site's.
    """
    if updated.change_menu is not ChangeMenu.SITE_NAME_CHANGE:
        return None
    if _closed(updated):
        return None if _closed(loaded) else {updated.id: ()}
    kind = DocumentKind.SITE_NAME_CHANGE
    if updated.document(kind).done:
        return None if loaded.document(kind).done else {updated.id: ()}
    target = _rename_target(updated)
    previous = _rename_target(loaded) if isinstance(loaded, ChangeApplication) else None
    if target is None or target == previous:
        return None
    return {updated.id: (target,)}


def _closed(application: Application) -> bool:
    """Return whether ``application`` was closed (取消, SUB-16)."""
    return getattr(application, "closed_at", None) is not None


def _newly(loaded: Application, updated: Application, kind: DocumentKind) -> bool:
    """Return whether the document ``kind`` became 承諾 (done) with this command."""
    return updated.document(kind).done and not loaded.document(kind).done


def _newly_held(loaded: Application, updated: Application, kind: DocumentKind) -> bool:
    """Return :func:`_newly` for an application that may not hold a ``kind`` document."""
    for document in updated.documents:
        if document.kind is kind:
            return document.done and not loaded.document(kind).done
    return False


def _rename_target(application: ChangeApplication) -> SiteName | None:
    """Return the new name a 拠点名変更 gives, once both parts are filled in (SUB-7)."""
    if application.change_menu is not ChangeMenu.SITE_NAME_CHANGE:
        return None
    details = application.document(DocumentKind.SITE_NAME_CHANGE).details
    if not set(details) >= _SITE_PARTS:
        return None
    return SiteName(company_abbrev=details["company_abbrev"], location=details["location"])


def _check_id_free(applications: ApplicationRepository, application_id: str) -> None:
    """Refuse a taken application id, alike whoever holds it (SEC-1)."""
    try:
        applications.get(application_id)
    except NotFound:
        return
    msg = (
        f"application_id {excerpt(application_id)} cannot be used; "
        "choose another application_id (generate one, e.g. with uuid4)"
    )
    raise ValidationError(msg, field="application_id", rule="SEC-1", problem="in_use")
