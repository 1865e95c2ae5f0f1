"""Use cases of Connecure applications over the ports: load, command, save (SUB-3 … SUB-8).

Every method runs one aggregate command at the clock's "now" and saves the result with the
version it loaded; the repository writes the recorded event to the outbox in the same
unit of work. A command returns the application as saved, with the event it recorded
still in ``pending_events`` for the caller to look at (the stored copy has none).

Starting an application also checks the customer's other applications: site names are
unique per customer (SUB-7) and a pending 拠点名変更 locks its site (SUB-5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import attrs

from omakase_core.calendar import to_jst
from omakase_core.errors import ValidationError
from omakase_core.ports import Clock  # attrs fields
from omakase_core.submission.aggregate import Application, ChangeApplication, NewInstallation
from omakase_core.submission.documents import ChangeMenu, DocumentKind, FaultContacts
from omakase_core.submission.ports import ApplicationRepository  # attrs fields
from omakase_core.submission.rules import ConstructionSchedule, validate_site_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import date, datetime

    from omakase_core.lifecycle import Actor
    from omakase_core.submission.model import ASP, Menu, SiteName

__all__ = ["SubmissionService"]

A = TypeVar("A", bound=Application)


@attrs.frozen(kw_only=True)
class SubmissionService:
    """The Connecure application commands for a portal, over its repository and clock."""

    applications: ApplicationRepository
    clock: Clock

    def get(self, application_id: str) -> Application:
        """Return the stored application (``NotFound`` if there is none)."""
        return self.applications.get(application_id)

    def create_new_installation(  # noqa: PLR0913  # the form has that many parts
        self,
        application_id: str,
        *,
        customer_id: str,
        site: SiteName,
        menu: Menu,
        asps: Iterable[ASP],
        bandwidth_mbps: float,
        weekday_daytime: bool,
        contact_email: str,
        billing_changed: bool = False,
    ) -> NewInstallation:
        """Start a new installation with its menu's documents (SUB-7, SUB-8, SUB-9)."""
        others = self.applications.of_customer(customer_id)
        validate_site_name(site.company_abbrev, site.location, [a.site for a in others])
        application = NewInstallation.create(
            id=application_id,
            customer_id=customer_id,
            site=site,
            menu=menu,
            asps=asps,
            bandwidth_mbps=bandwidth_mbps,
            weekday_daytime=weekday_daytime,
            contact_email=contact_email,
            created_at=self._now(),
            billing_changed=billing_changed,
        )
        self.applications.add(application)
        return application

    def start_change(  # noqa: PLR0913  # the change form has that many options
        self,
        application_id: str,
        *,
        customer_id: str,
        site: SiteName,
        menu: Menu,
        change_menu: ChangeMenu,
        contact_email: str,
        asp_change: Iterable[ASP] | None = None,
        bandwidth_mbps: float | None = None,
        fault_contact_change: bool = False,
        one_time_fee_billing: bool = False,
        monthly_billing_change: bool = False,
    ) -> ChangeApplication:
        """Start a change application for an installed site (SUB-4 … SUB-6).

        Refused while the site has a 拠点名変更 that is not 承諾 (SUB-5).
        """
        application = ChangeApplication.start(
            id=application_id,
            customer_id=customer_id,
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
        for other in self.applications.of_customer(customer_id):
            if isinstance(other, ChangeApplication) and other.site == site and other.locks_site:
                msg = (
                    f"{site} has a 拠点名変更 ({other.id}) that is not 承諾 yet; no other change "
                    "application can be started for the site until it is"
                )
                raise ValidationError(msg, field="site", rule="SUB-5")
        self.applications.add(application)
        return application

    def send(
        self,
        application_id: str,
        kind: DocumentKind,
        event: str,
        *,
        actor: Actor,
        comment: str | None = None,
    ) -> Application:
        """Move a document on (SUB-2, SUB-3); see :meth:`Application.send`."""
        now = self._now()
        return self._run(
            application_id, lambda a: a.send(kind, event, actor=actor, at=now, comment=comment)
        )

    def upload(
        self, application_id: str, kind: DocumentKind, file_name: str, *, actor: Actor
    ) -> Application:
        """Attach an uploaded file to a document (SUB-3 (a), (c), (h))."""
        now = self._now()
        return self._run(application_id, lambda a: a.upload(kind, file_name, actor=actor, at=now))

    def fill_in(
        self,
        application_id: str,
        kind: DocumentKind,
        details: Mapping[str, str],
        *,
        actor: Actor,
    ) -> Application:
        """Fill in a document's details; a new site name must stay unique (SUB-3, SUB-7)."""
        now = self._now()
        application = self.applications.get(application_id)
        if kind is DocumentKind.SITE_NAME_CHANGE and {"company_abbrev", "location"} <= set(details):
            others = [
                a.site
                for a in self.applications.of_customer(application.customer_id)
                if a.site != application.site
            ]
            validate_site_name(details["company_abbrev"], details["location"], others)
        return self._save(application, application.fill_in(kind, details, actor=actor, at=now))

    def set_fault_contacts(
        self,
        application_id: str,
        kind: DocumentKind,
        contacts: FaultContacts,
        *,
        actor: Actor,
        change_date: date | None = None,
    ) -> Application:
        """Give the fault contacts of (e) or (i) (SUB-3)."""
        now = self._now()
        return self._run(
            application_id,
            lambda a: a.set_fault_contacts(
                kind, contacts, actor=actor, at=now, change_date=change_date
            ),
        )

    def set_deadline(
        self, application_id: str, kind: DocumentKind, deadline: date, *, actor: Actor
    ) -> Application:
        """Set a document's submission deadline (the operator's)."""
        now = self._now()
        return self._run(
            application_id, lambda a: a.set_deadline(kind, deadline, actor=actor, at=now)
        )

    def set_schedule(
        self, application_id: str, schedule: ConstructionSchedule, *, actor: Actor
    ) -> NewInstallation:
        """Give the construction preferences of a new installation (SUB-10)."""
        now = self._now()
        return self._run_new(
            application_id, lambda a: a.set_schedule(schedule, actor=actor, at=now)
        )

    def request_billing_correction(self, application_id: str, *, actor: Actor) -> NewInstallation:
        """Add the billing correction (f) to a new installation (SUB-3(f))."""
        now = self._now()
        return self._run_new(
            application_id, lambda a: a.request_billing_correction(actor=actor, at=now)
        )

    def record_construction_completed(
        self, application_id: str, completed_on: date, *, actor: Actor
    ) -> NewInstallation:
        """Record completed construction (the operator's), enabling 承諾 of (a) (SUB-12)."""
        now = self._now()
        return self._run_new(
            application_id,
            lambda a: a.record_construction_completed(completed_on, actor=actor, at=now),
        )

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")

    def _run(
        self, application_id: str, command: Callable[[Application], Application]
    ) -> Application:
        application = self.applications.get(application_id)
        return self._save(application, command(application))

    def _run_new(
        self, application_id: str, command: Callable[[NewInstallation], NewInstallation]
    ) -> NewInstallation:
        application = self.applications.get(application_id)
        if not isinstance(application, NewInstallation):
            msg = f"{application_id} is a change application, not a new installation"
            raise ValidationError(msg, field="application_id", rule="SUB-8")
        return self._save(application, command(application))

    def _save(self, loaded: Application, updated: A) -> A:
        self.applications.save(updated, expected_version=loaded.version)
        return updated
