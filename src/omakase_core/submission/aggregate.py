"""The Connecure applications: immutable aggregates holding their documents (SUB-3 … SUB-8).

A :class:`NewInstallation` holds exactly the documents its menu needs (SUB-8); a
:class:`ChangeApplication` those of its change menu and options (SUB-4, SUB-6). Every
command checks the actor, the document's lifecycle and the guards that need data (an
uploaded file, a comment, required details, completed construction, "after 承諾 ask
sales"), then returns the next value with one recorded event. A refused command raises;
the aggregate being immutable, nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

import attrs

from omakase_core._validation import check_email, check_text, require
from omakase_core._values import command_instant, replace, with_event, without_events
from omakase_core.calendar import to_jst
from omakase_core.calendar._jst import as_day
from omakase_core.errors import InvalidTransition, PermissionDenied, ValidationError
from omakase_core.lifecycle import Actor
from omakase_core.submission.documents import (
    REQUIRED_DETAILS,
    ChangeMenu,
    Document,
    DocumentKind,
    FaultContacts,
    check_details,
)
from omakase_core.submission.events import (
    ApplicationEvent,
    ConstructionCompleted,
    DeadlineSet,
    DocumentAdded,
    DocumentDetailsUpdated,
    DocumentStatusChanged,
    FileUploaded,
    ScheduleSet,
)
from omakase_core.submission.model import ASP, Menu, SiteName, UploadedFile
from omakase_core.submission.rules import (
    ConstructionSchedule,
    check_asp_selection,
    first_billing_month,
    monthly_asp_option_fee,
    parameter_sheet_filename,
)
from omakase_core.submission.status import SubmissionStatus

if TYPE_CHECKING:
    from typing import Self

__all__ = ["Application", "ChangeApplication", "NewInstallation", "Progress"]

S = SubmissionStatus
K = DocumentKind
SALES_DESK: Final = "the Connecure sales desk (Connecure営業窓口)"
_EDITABLE: Final = frozenset(
    {S.NOT_SUBMITTED, S.SEALED_FORM_PENDING, S.SEALED_CHANGE_FORM_PENDING, S.RETURNED, S.WITHDRAWN}
)
_MAX_ID: Final = 200


@attrs.frozen(kw_only=True)
class Progress:
    """Where an application stands (SUB-8): documents done, and waiting on whom."""

    done: tuple[DocumentKind, ...]
    waiting_on_customer: tuple[DocumentKind, ...]
    waiting_on_operator: tuple[DocumentKind, ...]

    @property
    def complete(self) -> bool:
        """Return whether every document is 承諾 (or later)."""
        return not self.waiting_on_customer and not self.waiting_on_operator


def _is_mapping(value: object) -> bool:
    return isinstance(value, Mapping)


def _customer(actor: Actor, action: str, status: SubmissionStatus | None) -> None:
    if actor != Actor.CUSTOMER:
        raise PermissionDenied(
            f"only the customer may {action}, not {actor!s}",
            actor=str(actor),
            event=action.replace(" ", "_"),
            state=None if status is None else status.name,
            rule="SUB-2",
        )


@attrs.frozen(kw_only=True)
class Application:
    """What every Connecure application has: its site, its documents, its version."""

    id: str
    customer_id: str
    site: SiteName
    menu: Menu
    contact_email: str
    documents: tuple[Document, ...]
    version: int = 0
    updated_at: datetime
    pending_events: tuple[ApplicationEvent, ...] = ()

    # -- queries ------------------------------------------------------------------------------

    def document(self, kind: DocumentKind) -> Document:
        """Return the application's document of ``kind``; refuse a kind it does not hold."""
        for document in self.documents:
            if document.kind is kind:
                return document
        held = ", ".join(d.kind.value for d in self.documents)
        msg = f"this application has no {getattr(kind, 'value', kind)} document (it holds {held})"
        raise ValidationError(msg, field="kind", rule="SUB-8")

    def progress(self) -> Progress:
        """Return which documents are done and which wait on the customer or the operator."""
        return Progress(
            done=tuple(d.kind for d in self.documents if d.done),
            waiting_on_customer=tuple(
                d.kind for d in self.documents if not d.done and d.waiting_on is Actor.CUSTOMER
            ),
            waiting_on_operator=tuple(
                d.kind for d in self.documents if not d.done and d.waiting_on is Actor.OPERATOR
            ),
        )

    def saved(self) -> Self:
        """Return the application as stored: the same state, no pending events."""
        return without_events(self)

    # -- commands -----------------------------------------------------------------------------

    def send(
        self,
        kind: DocumentKind,
        event: str,
        *,
        actor: Actor,
        at: datetime,
        comment: str | None = None,
    ) -> Self:
        """Move a document on by ``event`` (SUB-2, SUB-3) after the guards that need data.

        ``submit`` needs an upload where the kind has one, the fault contacts where it
        carries them, and the required details; ``complete_fields`` needs the details;
        ``send_back`` (差戻) needs a comment; a 承諾 parameter sheet can only be changed
        through sales.
        """
        instant = self._check_time(at)
        document = self.document(kind)
        self._check_not_closed(document, event)
        target = kind.lifecycle.fire(document.status, event, actor=actor)
        note = self._check_guards(document, event, comment)
        changes: dict[str, Any] = {"status": target}
        if note is not None:
            changes["comment"] = note
        if target is S.ACCEPTED:
            changes["accepted_at"] = instant
        return self._record(
            DocumentStatusChanged,
            instant,
            {
                "kind": kind,
                "event": event,
                "source": document.status,
                "target": target,
                "actor": actor if type(actor) is Actor else Actor(actor),
                "comment": note,
            },
            documents=self._with(replace(document, **changes)),
        )

    def upload(self, kind: DocumentKind, file_name: str, *, actor: Actor, at: datetime) -> Self:
        """Attach a file the customer uploaded; the latest upload is in force (SUB-3(c)).

        A parameter sheet is stored as ``YYYYMMDD_<略称>(<ロケーション名>)<name>``.
        """
        instant = self._check_time(at)
        document = self.document(kind)
        self._check_not_closed(document, "upload")
        _customer(actor, "upload files", document.status)
        if not kind.needs_upload:
            msg = f"{kind.label} takes no files"
            raise ValidationError(msg, field="kind", rule="SUB-3")
        self._check_editable(document, "upload")
        if kind is K.LAN_PARAMETERS:
            stored = parameter_sheet_filename(
                file_name,
                uploaded_at=instant,
                company_abbrev=self.site.company_abbrev,
                location=self.site.location,
            )
        else:
            stored = check_text(file_name, field="file_name", rule="SUB-3", max_length=200)
        upload = UploadedFile(name=stored, uploaded_at=instant)
        return self._record(
            FileUploaded,
            instant,
            {"kind": kind, "file_name": stored},
            documents=self._with(replace(document, uploads=(*document.uploads, upload))),
        )

    def fill_in(
        self, kind: DocumentKind, details: Mapping[str, str], *, actor: Actor, at: datetime
    ) -> Self:
        """Fill in details of a document while the customer may edit it (SUB-3 (b), (h))."""
        instant = self._check_time(at)
        document = self.document(kind)
        self._check_not_closed(document, "fill_in")
        _customer(actor, "fill in details", document.status)
        self._check_editable(document, "fill_in")
        if not _is_mapping(details) or not details:
            msg = "details must be a non-empty mapping of field names to text"
            raise ValidationError(msg, field="details", rule="SUB-3")
        merged = {**document.details, **check_details(details)}
        return self._record(
            DocumentDetailsUpdated,
            instant,
            {"kind": kind},
            documents=self._with(replace(document, details=merged)),
        )

    def set_fault_contacts(
        self,
        kind: DocumentKind,
        contacts: FaultContacts,
        *,
        actor: Actor,
        at: datetime,
        change_date: date | None = None,
    ) -> Self:
        """Give the fault contacts (SUB-3 (e), (i)).

        The reporting-hours field is accepted for ベーシック only; a change date only for a
        fault-contact change (i), where the new contacts take effect on it (else on 承諾).
        """
        instant = self._check_time(at)
        document = self.document(kind)
        _customer(actor, "give fault contacts", document.status)
        if not kind.has_fault_contacts:
            msg = f"{kind.label} carries no fault contacts"
            raise ValidationError(msg, field="kind", rule="SUB-3")
        self._check_editable(document, "set_fault_contacts")
        checked = require(
            contacts, FaultContacts, field="contacts", rule="SUB-3", what="FaultContacts"
        )
        if checked.reporting_hours is not None and not self.menu.reports_faults_around_the_clock:
            msg = (
                f"reporting_hours (故障申告時間帯) is only for ベーシック, "
                f"not for {self.menu.label}"
            )
            raise ValidationError(msg, field="reporting_hours", rule="SUB-3")
        if change_date is not None and kind is not K.FAULT_CONTACT_CHANGE:
            msg = "a change date can be given only for a fault-contact change (故障連絡先変更)"
            raise ValidationError(msg, field="change_date", rule="SUB-3")
        day = None if change_date is None else as_day(change_date, "change_date")
        if day is not None and day < instant.date():
            msg = f"change_date {day.isoformat()} is in the past"
            raise ValidationError(msg, field="change_date", rule="SUB-3")
        return self._record(
            DocumentDetailsUpdated,
            instant,
            {"kind": kind},
            documents=self._with(replace(document, contacts=checked, change_date=day)),
        )

    def set_deadline(
        self, kind: DocumentKind, deadline: date, *, actor: Actor, at: datetime
    ) -> Self:
        """Set a document's submission deadline (提出締切日); the operator's to set."""
        instant = self._check_time(at)
        document = self.document(kind)
        if actor != Actor.OPERATOR:
            raise PermissionDenied(
                f"only the operator may set a submission deadline, not {actor!s}",
                actor=str(actor),
                event="set_deadline",
                state=document.status.name,
                rule="SUB-2",
            )
        day = as_day(deadline, "deadline")
        return self._record(
            DeadlineSet,
            instant,
            {"kind": kind, "deadline": day},
            documents=self._with(replace(document, deadline=day)),
        )

    # -- helpers ------------------------------------------------------------------------------

    def _check_guards(self, document: Document, event: str, comment: str | None) -> str | None:
        kind = document.kind
        if event == "send_back":
            return check_text(comment, field="comment", rule="SUB-3", max_length=2000)
        if comment is not None:
            msg = "a comment goes only with 差戻 (send_back)"
            raise ValidationError(msg, field="comment", rule="SUB-3")
        if event == "accept":
            self._check_accept(document)
        elif event in ("submit", "complete_fields"):
            missing = document.missing_details() if kind in REQUIRED_DETAILS else ()
            if missing:
                msg = f"{kind.label} needs these details before {event}: {', '.join(missing)}"
                raise ValidationError(msg, field="details", rule="SUB-3")
            if event == "submit" and kind.needs_upload and not document.uploads:
                msg = f"{kind.label} can be submitted only with an uploaded file"
                raise ValidationError(msg, field="uploads", rule="SUB-3")
            if event == "submit" and kind.has_fault_contacts and document.contacts is None:
                msg = f"{kind.label} can be submitted only with the first fault contact"
                raise ValidationError(msg, field="contacts", rule="SUB-3")
        return None

    def _check_accept(self, document: Document) -> None:
        """Let a subclass refuse 承諾 until its own condition holds."""

    def _check_not_closed(self, document: Document, event: str) -> None:
        if document.kind is K.LAN_PARAMETERS and document.status is S.ACCEPTED:
            raise InvalidTransition(
                f"the parameter sheet is {S.ACCEPTED.label}: it can no longer be changed "
                f"here; ask {SALES_DESK}",
                state=document.status.name,
                event=event,
                lifecycle=document.kind.lifecycle.name,
                rule="SUB-3",
            )

    def _check_editable(self, document: Document, event: str) -> None:
        if document.status not in _EDITABLE:
            raise InvalidTransition(
                f"{document.kind.label} cannot be edited while {document.status.label}",
                state=document.status.name,
                event=event,
                lifecycle=document.kind.lifecycle.name,
                rule="SUB-3",
            )

    def _check_time(self, at: datetime) -> datetime:
        return command_instant(at, self.updated_at, what="application")

    def _with(self, document: Document) -> tuple[Document, ...]:
        return tuple(document if d.kind is document.kind else d for d in self.documents)

    def _record(
        self,
        event_type: type[ApplicationEvent],
        occurred_at: datetime,
        fields: Mapping[str, object],
        **changes: Any,  # the fields of the next application that change
    ) -> Self:
        event = event_type(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=occurred_at,
            site=self.site,
            contact_email=self.contact_email,
            **fields,
        )
        return with_event(self, event, **changes)


def _base_fields(
    application_id: str, customer_id: str, site: SiteName, contact_email: str, created_at: datetime
) -> dict[str, Any]:
    return {
        "id": check_text(application_id, field="id", rule=None, max_length=_MAX_ID),
        "customer_id": check_text(customer_id, field="customer_id", rule=None, max_length=_MAX_ID),
        "site": require(site, SiteName, field="site", rule="SUB-7", what="a SiteName"),
        "contact_email": check_email(contact_email, field="contact_email", rule=None),
        "updated_at": to_jst(created_at, field="created_at"),
    }


@attrs.frozen(kw_only=True)
class NewInstallation(Application):
    """A new installation (新設申込): one aggregate holding its menu's documents (SUB-8).

    (a), (c), (d) and (e) always; (b) only for ライトミニマム and ライトモバイル; (f) only when
    the billing data changed after the web application.
    """

    asps: tuple[ASP, ...]
    bandwidth_mbps: float
    weekday_daytime: bool
    schedule: ConstructionSchedule | None = None
    completed_on: date | None = None

    @classmethod
    def create(  # noqa: PLR0913  # an application form has that many parts
        cls,
        *,
        id: str,  # noqa: A002  # the aggregate's id
        customer_id: str,
        site: SiteName,
        menu: Menu,
        asps: Iterable[ASP],
        bandwidth_mbps: float,
        weekday_daytime: bool,
        contact_email: str,
        created_at: datetime,
        billing_changed: bool = False,
    ) -> NewInstallation:
        """Return a new application with the documents of its menu (SUB-8, SUB-9)."""
        selected = check_asp_selection(menu, asps, bandwidth_mbps=bandwidth_mbps)
        require(weekday_daytime, bool, field="weekday_daytime", rule="SUB-10", what="a bool")
        require(billing_changed, bool, field="billing_changed", rule="SUB-8", what="a bool")
        kinds = [K.APPLICATION_FORM]
        if menu.needs_shipping_address:
            kinds.append(K.SHIPPING_ADDRESS)
        kinds += [K.LAN_PARAMETERS, K.INSTALLATION_SUPPLIES, K.FAULT_CONTACTS]
        if billing_changed:
            kinds.append(K.BILLING_CORRECTION)
        return cls(
            **_base_fields(id, customer_id, site, contact_email, created_at),
            menu=menu,
            documents=tuple(Document.new(kind) for kind in kinds),
            asps=selected,
            bandwidth_mbps=float(bandwidth_mbps),
            weekday_daytime=weekday_daytime,
        )

    @property
    def monthly_asp_option_fee(self) -> int:
        """Return the ASP option fee per month (SUB-9)."""
        return monthly_asp_option_fee(len(self.asps))

    @property
    def first_billing_month(self) -> date | None:
        """Return the first billed month once construction completed (SUB-12)."""
        return None if self.completed_on is None else first_billing_month(self.completed_on)

    def set_schedule(self, schedule: ConstructionSchedule, *, actor: Actor, at: datetime) -> Self:
        """Give the construction preferences (SUB-10), matching the menu and the daytime flag."""
        instant = self._check_time(at)
        _customer(actor, "give construction dates", None)
        checked = require(
            schedule, ConstructionSchedule, field="schedule", rule="SUB-10", what="a schedule"
        )
        if (checked.converter is not None) != self.menu.needs_converter:
            need = "needs" if self.menu.needs_converter else "has no"
            msg = (
                f"{self.menu.label} {need} an optical access converter step (光アクセスコンバータ)"
            )
            raise ValidationError(msg, field="converter", rule="SUB-10")
        if checked.weekday_daytime != self.weekday_daytime:
            msg = "the schedule's weekday-daytime flag differs from the application's"
            raise ValidationError(msg, field="weekday_daytime", rule="SUB-10")
        return self._record(ScheduleSet, instant, {}, schedule=checked)

    def request_billing_correction(self, *, actor: Actor, at: datetime) -> Self:
        """Add the billing correction (f), needed when billing data changed (SUB-3(f), SUB-8)."""
        instant = self._check_time(at)
        _customer(actor, "correct the billing information", None)
        if any(d.kind is K.BILLING_CORRECTION for d in self.documents):
            msg = "the application already has a billing correction (請求情報)"
            raise ValidationError(msg, field="kind", rule="SUB-8")
        document = Document.new(K.BILLING_CORRECTION)
        return self._record(
            DocumentAdded,
            instant,
            {"kind": K.BILLING_CORRECTION},
            documents=(*self.documents, document),
        )

    def record_construction_completed(
        self, completed_on: date, *, actor: Actor, at: datetime
    ) -> Self:
        """Record that router installation completed (the operator's), for 承諾 and SUB-12."""
        instant = self._check_time(at)
        if actor != Actor.OPERATOR:
            raise PermissionDenied(
                f"only the operator may record completed construction, not {actor!s}",
                actor=str(actor),
                event="record_construction_completed",
                rule="SUB-2",
            )
        day = as_day(completed_on, "completed_on")
        if day > instant.date():
            msg = f"completed_on {day.isoformat()} is in the future"
            raise ValidationError(msg, field="completed_on", rule="SUB-12")
        return self._record(
            ConstructionCompleted,
            instant,
            {"completed_on": day, "first_billing_month": first_billing_month(day)},
            completed_on=day,
        )

    def _check_accept(self, document: Document) -> None:
        if document.kind is K.APPLICATION_FORM and self.completed_on is None:
            raise InvalidTransition(
                "the application form is accepted (承諾) only after construction is complete",
                state=document.status.name,
                event="accept",
                lifecycle=document.kind.lifecycle.name,
                rule="SUB-3",
            )


@attrs.frozen(kw_only=True)
class ChangeApplication(Application):
    """A change application (設定変更申込) for an installed site (SUB-4 … SUB-6).

    ``change_menu`` says which change; ``asps_after_change`` (設定変更 only) lists every ASP
    in use after the change. That choice is fixed when the application is created: to
    undo it, start a new application (SUB-6).
    """

    change_menu: ChangeMenu
    asps_after_change: tuple[ASP, ...] | None = None

    @classmethod
    def start(  # noqa: PLR0913  # the change form has that many options
        cls,
        *,
        id: str,  # noqa: A002  # the aggregate's id
        customer_id: str,
        site: SiteName,
        menu: Menu,
        change_menu: ChangeMenu,
        contact_email: str,
        created_at: datetime,
        asp_change: Iterable[ASP] | None = None,
        bandwidth_mbps: float | None = None,
        fault_contact_change: bool = False,
        one_time_fee_billing: bool = False,
        monthly_billing_change: bool = False,
    ) -> ChangeApplication:
        """Return a new change application with its documents (SUB-4, SUB-6)."""
        change = require(
            change_menu, ChangeMenu, field="change_menu", rule="SUB-4", what="a ChangeMenu"
        )
        if not change.accepted_through_portal:
            msg = f"{change.label} is not accepted through the portal; apply through {SALES_DESK}"
            raise ValidationError(msg, field="change_menu", rule="SUB-4")
        is_configuration = change is ChangeMenu.CONFIGURATION_CHANGE
        for name, value, allowed in (
            ("asp_change", asp_change is not None, is_configuration),
            ("fault_contact_change", fault_contact_change, is_configuration),
            ("one_time_fee_billing", one_time_fee_billing, is_configuration),
            ("monthly_billing_change", monthly_billing_change, change is ChangeMenu.COMPANY_CHANGE),
        ):
            require(value, bool, field=name, rule="SUB-6", what="a bool")
            if value and not allowed:
                msg = f"{name} is not an option of {change.label}"
                raise ValidationError(msg, field=name, rule="SUB-6")
        asps = None
        if asp_change is not None:
            if bandwidth_mbps is None:
                msg = "an ASP change needs the site's bandwidth plan (bandwidth_mbps)"
                raise ValidationError(msg, field="bandwidth_mbps", rule="SUB-9")
            asps = check_asp_selection(menu, asp_change, bandwidth_mbps=bandwidth_mbps)
        kinds = [K(change.value)]
        if monthly_billing_change:
            kinds.append(K.MONTHLY_BILLING_CHANGE)
        if fault_contact_change:
            kinds.append(K.FAULT_CONTACT_CHANGE)
        if one_time_fee_billing:
            kinds.append(K.ONE_TIME_FEE_BILLING)
        return cls(
            **_base_fields(id, customer_id, site, contact_email, created_at),
            menu=require(menu, Menu, field="menu", rule="SUB-9", what="a Menu"),
            documents=tuple(Document.new(kind) for kind in kinds),
            change_menu=change,
            asps_after_change=asps,
        )

    @property
    def locks_site(self) -> bool:
        """Return whether this is a 拠点名変更 not yet 承諾, which locks the site (SUB-5)."""
        return (
            self.change_menu is ChangeMenu.SITE_NAME_CHANGE
            and not self.document(K.SITE_NAME_CHANGE).done
        )
