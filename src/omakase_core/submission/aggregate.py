"""The Connecure applications: immutable aggregates holding their documents (SUB-2 … SUB-8).

A :class:`NewInstallation` holds exactly the documents its menu needs (SUB-8); a
:class:`ChangeApplication` those of its change menu and options (SUB-4, SUB-6). A
:class:`Document` is an entity of its application: its kind, its status and what the
customer gave (uploads, details, :class:`FaultContacts`). Every command checks the actor
(an :class:`~omakase_core.lifecycle.Actor` member; a plain string such as ``"customer"`` is
refused, SEC-2), the document's lifecycle and the guards that need data (an uploaded file,
a comment, required details, completed construction, "after 承諾 ask sales"), then returns
the next value with one recorded event. A refused command raises; the aggregate being
immutable, nothing changed.

Decisions (the seed leaves them open):

- The documents live here rather than in ``model.py``: a document is part of the
  application aggregate, and its contents are checked with the SUB-14 formats of
  ``rules.py``.
- A document is *done* once 承諾 or later (発送済); until then it waits on the operator,
  except in the statuses where only the customer can move it on (未提出, 押印済…未提出,
  差戻, 取下げ).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs

from omakase_core._validation import check_email, check_text, is_bare_file_name, require
from omakase_core._values import (
    command_instant,
    copier,
    maker,
    replace,
    with_event,
    without_events,
)
from omakase_core.calendar import JST, to_jst
from omakase_core.calendar._jst import as_day
from omakase_core.codec import register_upcaster, stored
from omakase_core.errors import InvalidTransition, PermissionDenied, ValidationError
from omakase_core.lifecycle import Actor
from omakase_core.principal import check_id
from omakase_core.submission.machine import SITE_LIFECYCLE
from omakase_core.submission.model import (
    ASP,
    REQUIRED_DETAILS,
    ApplicationClosed,
    ApplicationEvent,
    ChangeMenu,
    ConstructionCompleted,
    DeadlineSet,
    DocumentAdded,
    DocumentDetailsUpdated,
    DocumentKind,
    DocumentStatusChanged,
    FileUploaded,
    Menu,
    ScheduleError,
    ScheduleSet,
    ScheduleViolation,
    SiteAspsChanged,
    SiteChangeStarted,
    SiteEvent,
    SiteFaultContactsChanged,
    SiteFaultContactsScheduled,
    SiteInstalled,
    SiteName,
    SiteRenameClosed,
    SiteRenamed,
    SiteStatus,
    Step,
    SubmissionStatus,
    UploadedFile,
    check_line,
    excerpt,
    member,
)
from omakase_core.submission.rules import (
    ConstructionSchedule,
    bare_file_name,
    check_asp_selection,
    check_bandwidth,
    check_details,
    check_name_field,
    earliest_site_survey,
    first_billing_month,
    monthly_asp_option_fee,
    parameter_sheet_filename,
    validate_phone,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Self

__all__ = [
    "Application",
    "ChangeApplication",
    "Comment",
    "Contact",
    "Document",
    "FaultContacts",
    "NewInstallation",
    "Progress",
    "ScheduledFaultContacts",
]

S = SubmissionStatus
K = DocumentKind
SALES_DESK: Final = "the Connecure sales desk (Connecure営業窓口)"
_EDITABLE: Final = frozenset(
    {S.NOT_SUBMITTED, S.SEALED_FORM_PENDING, S.SEALED_CHANGE_FORM_PENDING, S.RETURNED, S.WITHDRAWN}
)
_CUSTOMER_TURN: Final = _EDITABLE
_DONE: Final = frozenset({S.ACCEPTED, S.SHIPPED})
_WITH_OPERATOR: Final = frozenset({S.UNDER_REVIEW, S.RECEIVED})
"""Statuses in which a document is under the operator's review (SUB-16)."""
_MAX_ID: Final = 200
_MAX_EVENT: Final = 64
_MAX_COMMENT: Final = 2000
_APPLICATION: Final = "submission.application"
"""What errors about the application as a whole name as its lifecycle."""


# -- the contents of documents ------------------------------------------------------------------


def _required(value: object, field: str) -> str:
    return check_line(value, field=field, rule="SUB-3", max_length=100)


def _company(value: str) -> str:  # annotated as the field: attrs gives __init__ this type
    return check_name_field(value, "company")  # SUB-14: 24 full-width or 48 half-width


def _department(value: str) -> str:
    return check_name_field(value, "department")


def _name(value: str) -> str:
    return check_name_field(value, "name")


def _phone(value: str) -> str:
    return validate_phone(value)


def _email(value: str) -> str:
    return check_email(value, field="email", rule="SUB-3")


@attrs.frozen(kw_only=True)
class Contact:
    """One fault contact: company, department, person, phone and e-mail (SUB-3(e))."""

    company: str = attrs.field(converter=_company)
    department: str = attrs.field(converter=_department)
    name: str = attrs.field(converter=_name)
    phone: str = attrs.field(converter=_phone)
    email: str = attrs.field(converter=_email)


def _first_contact(value: Contact) -> Contact:
    return require(value, Contact, field="first", rule="SUB-3", what="a Contact")


def _second_contact(value: Contact | None) -> Contact | None:
    if value is None:
        return None
    return require(value, Contact, field="second", rule="SUB-3", what="a Contact or None")


def _reporting_hours(value: str | None) -> str | None:
    if value is None:
        return None
    return check_line(value, field="reporting_hours", rule="SUB-3", max_length=100)


@attrs.frozen(kw_only=True)
class FaultContacts:
    """The fault contacts of a site (SUB-3(e)): the first required, the second optional.

    ``reporting_hours`` (故障申告時間帯) may be given for the ベーシック menu only; the
    application checks that.
    """

    first: Contact = attrs.field(converter=_first_contact)
    second: Contact | None = attrs.field(default=None, converter=_second_contact)
    reporting_hours: str | None = attrs.field(default=None, converter=_reporting_hours)


def _complete_contacts(contacts: FaultContacts) -> FaultContacts:
    """Return ``contacts`` if its first contact is there (SUB-3(e)), even if tampered with.

    A frozen value can still be changed with ``object.__setattr__``; the first contact is
    what lets the document be submitted, so it is checked again where it is given.
    """
    _first_contact(contacts.first)
    _second_contact(contacts.second)
    return contacts


def _uploads(value: tuple[UploadedFile, ...]) -> tuple[UploadedFile, ...]:
    given: object = value  # callers are not always type-checked
    if not isinstance(given, tuple | list) or not all(
        isinstance(item, UploadedFile) for item in given
    ):
        msg = f"uploads must be a tuple of UploadedFile values, not {excerpt(given)}"
        raise ValidationError(msg, field="uploads", rule="SUB-3")
    return tuple(given)


def _details(value: Mapping[str, str]) -> Mapping[str, str]:
    given: object = value  # callers are not always type-checked
    if isinstance(given, Mapping) and not given:
        return {}
    return check_details(given)


def _contacts(value: FaultContacts | None) -> FaultContacts | None:
    if value is None:
        return None
    return require(value, FaultContacts, field="contacts", rule="SUB-3", what="FaultContacts")


_KIND: Final = member(DocumentKind, "kind")
_STATUS: Final = member(SubmissionStatus, "status")


def _kind(value: DocumentKind) -> DocumentKind:
    return _KIND(value)


def _status(value: SubmissionStatus) -> SubmissionStatus:
    return _STATUS(value)


def _change_date(value: date | None) -> date | None:
    return None if value is None else as_day(value, "change_date")


def _deadline(value: date | None) -> date | None:
    return None if value is None else as_day(value, "deadline")


def _comment(value: str | None) -> str | None:
    if value is None:
        return None
    return check_line(value, field="comment", rule="SUB-3", max_length=_MAX_COMMENT)


def _accepted_at(value: datetime | None) -> datetime | None:
    return None if value is None else to_jst(value, field="accepted_at")


_AUTHOR: Final = member(Actor, "author", "SUB-2")


def _author(value: Actor) -> Actor:
    return _AUTHOR(value)


def _comment_event(value: str) -> str:
    return check_line(value, field="event", rule="SUB-2", max_length=_MAX_EVENT)


def _comment_text(value: str) -> str:
    return check_line(value, field="text", rule="SUB-2", max_length=_MAX_COMMENT)


def _comment_at(value: datetime) -> datetime:
    return to_jst(value, field="at")


@attrs.frozen(kw_only=True)
class Comment:
    """A comment on a move (SUB-2): who wrote it, on which move (``event``), what, when."""

    author: Actor = attrs.field(converter=_author)
    event: str = attrs.field(converter=_comment_event)
    text: str = attrs.field(converter=_comment_text)
    at: datetime = attrs.field(converter=_comment_at)


def _comments(value: tuple[Comment, ...]) -> tuple[Comment, ...]:
    given: object = value  # callers are not always type-checked
    if not isinstance(given, tuple | list) or not all(isinstance(c, Comment) for c in given):
        msg = f"comments must be a tuple of Comment values, not {excerpt(given)}"
        raise ValidationError(msg, field="comments", rule="SUB-2")
    return tuple(given)


@attrs.frozen(kw_only=True)
class Document:
    """One document of an application: its kind, status and what the customer gave.

    ``uploads`` keeps every upload; the latest is the one in force (SUB-3(c)).
    ``comments`` keeps every comment on a move, oldest first, and ``comment`` is the
    operator's latest (SUB-2: the operator may comment on any of its moves, and must with
    差戻). ``deadline`` is the
    submission deadline (提出締切日) the operator set, if any. ``kind`` and ``status`` are
    members of their enums, and ``status`` one of the kind's lifecycle (SEC-2).
    """

    kind: DocumentKind = attrs.field(converter=_kind)
    status: SubmissionStatus = attrs.field(converter=_status)
    uploads: tuple[UploadedFile, ...] = attrs.field(default=(), converter=_uploads)
    details: Mapping[str, str] = attrs.field(factory=dict, repr=False, converter=_details)
    contacts: FaultContacts | None = attrs.field(default=None, converter=_contacts)
    change_date: date | None = attrs.field(default=None, converter=_change_date)
    comment: str | None = attrs.field(default=None, converter=_comment)
    deadline: date | None = attrs.field(default=None, converter=_deadline)
    accepted_at: datetime | None = attrs.field(default=None, converter=_accepted_at)
    comments: tuple[Comment, ...] = attrs.field(default=(), converter=_comments)

    def __attrs_post_init__(self) -> None:
        if self.status not in self.kind.lifecycle.statuses:
            msg = f"{self.kind.label} has no status {self.status.label}"
            raise ValidationError(msg, field="status", rule="SUB-3")

    @classmethod
    def new(cls, kind: DocumentKind) -> Document:
        """Return the document in its lifecycle's initial status."""
        checked = member(DocumentKind, "kind")(kind)
        return cls(kind=checked, status=checked.lifecycle.initial)

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


# -- the applications ---------------------------------------------------------------------------


def _kinds(value: object, field: str) -> tuple[DocumentKind, ...]:
    if not isinstance(value, tuple | list):
        msg = f"{field} must be a tuple of DocumentKind members, not {excerpt(value)}"
        raise ValidationError(msg, field=field, rule="SEC-2")
    check = member(DocumentKind, field)
    return tuple(check(item) for item in value)


def _done(value: tuple[DocumentKind, ...]) -> tuple[DocumentKind, ...]:
    return _kinds(value, "done")


def _waiting_on_customer(value: tuple[DocumentKind, ...]) -> tuple[DocumentKind, ...]:
    return _kinds(value, "waiting_on_customer")


def _waiting_on_operator(value: tuple[DocumentKind, ...]) -> tuple[DocumentKind, ...]:
    return _kinds(value, "waiting_on_operator")


@attrs.frozen(kw_only=True)
class Progress:
    """Where an application stands (SUB-8): documents done, and waiting on whom."""

    done: tuple[DocumentKind, ...] = attrs.field(converter=_done)
    waiting_on_customer: tuple[DocumentKind, ...] = attrs.field(converter=_waiting_on_customer)
    waiting_on_operator: tuple[DocumentKind, ...] = attrs.field(converter=_waiting_on_operator)

    @property
    def complete(self) -> bool:
        """Return whether every document is 承諾 (or later)."""
        return not self.waiting_on_customer and not self.waiting_on_operator


_FINAL: dict[DocumentKind, frozenset[SubmissionStatus]] = {}


def _final_statuses(kind: DocumentKind) -> frozenset[SubmissionStatus]:
    """Return the final statuses of ``kind``'s lifecycle, computed once per kind (SUB-15)."""
    found = _FINAL.get(kind)
    if found is None:
        lifecycle = kind.lifecycle
        found = _FINAL[kind] = frozenset(
            status for status in lifecycle.statuses if lifecycle.is_final(status)
        )
    return found


def _actor(actor: object) -> Actor:
    """Return ``actor`` if it is an :class:`Actor` member; refuse anything else (SEC-2)."""
    if type(actor) is Actor:
        return actor
    msg = f"actor must be an Actor member (Actor.CUSTOMER, …), not {excerpt(actor)}"
    raise ValidationError(msg, field="actor", rule="SEC-2")


def _customer(actor: Actor, action: str, status: SubmissionStatus | None) -> None:
    """Refuse a customer's move (SUB-2) made by anyone else; ``actor`` must be a member."""
    if _actor(actor) is not Actor.CUSTOMER:
        raise PermissionDenied(
            f"only the customer may {action}, not {actor!s}",
            actor=str(actor),
            event=action.replace(" ", "_"),
            state=None if status is None else status.name,
            rule="SUB-2",
            state_label=None if status is None else status.label,
        )


def _bare_upload_name(name: str) -> str:
    r"""Return ``name`` if it names a file, never a folder or a path (SUB-3, SEC-2).

    Every upload is stored under the name it was given: a name with a folder part (``/``,
    ``\``), a colon (a drive ``C:``, an NTFS stream ``a.pdf:x``; as for an inquiry's
    attachments, INQ-2) or that is ``.`` or ``..`` is refused naming ``file_name``.
    ``name`` is already a checked line of text.
    """
    if not is_bare_file_name(name):
        msg = f"file_name {excerpt(name)} must be a bare file name, without folders or a drive"
        raise ValidationError(msg, field="file_name", rule="SUB-3", problem="file_name")
    return name


_MOVED: Final = copier(Document, "status")
"""A document moved to a status (a checked lifecycle target): the hot path of ``send``."""
_STATUS_CHANGED: Final = maker(
    DocumentStatusChanged,
    "aggregate_id",
    "version",
    "occurred_at",
    "site",
    "contact_email",
    "kind",
    "event",
    "source",
    "target",
    "actor",
    "comment",
)
"""The event of ``send``, from fields ``send`` has checked (PORT-3)."""
_COMMENT: Final = maker(Comment, "author", "event", "text", "at")
"""A comment from checked parts: the hot path of ``send`` (SUB-2)."""
_COMMENTED: Final = copier(Document, "status", "comment", "comments")
"""A document moved to a status with the operator's comment added (SUB-2)."""
_ACCEPTED: Final = copier(Document, "status", "accepted_at")
"""A document moved to 承諾 at an instant, without a comment: the hot path of ``send``."""
_GUARDED_EVENTS: Final = frozenset({"send_back", "accept", "submit", "complete_fields"})
"""The events whose guards need the application's data (:meth:`Application._check_guards`)."""
_SEND_COPIES: Final[dict[type, Any]] = {}
"""Per application class, the copier ``send`` builds its result with."""
_SAVED_COPIES: Final[dict[type, Any]] = {}
"""Per application class, the copier ``saved`` builds the stored copy with."""


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
    closed_at: datetime | None = None
    """When the application was closed (取消, SUB-16); ``None`` while it is open."""

    _construction_form: ClassVar[DocumentKind] = K.APPLICATION_FORM
    """The form that may be 承諾 only after the construction is recorded complete."""

    def __attrs_post_init__(self) -> None:
        """Refuse an application built by hand from values the commands would refuse (SEC-2).

        Commands copy a checked application field by field, so this runs only when an
        application is created or rebuilt from storage.
        """
        check_text(self.id, field="id", rule=None, max_length=_MAX_ID)
        check_text(self.customer_id, field="customer_id", rule=None, max_length=_MAX_ID)
        require(self.site, SiteName, field="site", rule="SUB-7", what="a SiteName")
        member(Menu, "menu", "SUB-9")(self.menu)
        check_email(self.contact_email, field="contact_email", rule=None)
        documents: object = self.documents
        if (
            not isinstance(documents, tuple)
            or not documents
            or not all(isinstance(d, Document) for d in documents)
            or len({d.kind for d in documents}) != len(documents)
        ):
            msg = "documents must be a non-empty tuple of Document values, one per kind"
            raise ValidationError(msg, field="documents", rule="SUB-8")
        version: object = self.version
        if type(version) is not int or version < 0:
            msg = f"version must be a non-negative int, not {excerpt(version)}"
            raise ValidationError(msg, field="version", rule="PORT-2")
        to_jst(self.updated_at, field="updated_at")
        if self.closed_at is not None:
            to_jst(self.closed_at, field="closed_at")
        events: object = self.pending_events
        if not isinstance(events, tuple) or not all(
            isinstance(e, ApplicationEvent) for e in events
        ):
            msg = "pending_events must be a tuple of application events"
            raise ValidationError(msg, field="pending_events", rule="PORT-3")

    # -- queries ------------------------------------------------------------------------------

    def document(self, kind: DocumentKind) -> Document:
        """Return the application's document of ``kind``; refuse a kind it does not hold."""
        for document in self.documents:
            if document.kind is kind:
                return document
        checked = member(DocumentKind, "kind")(kind)  # SEC-2: a name or label is not a kind
        held = ", ".join(d.kind.value for d in self.documents)
        msg = f"this application has no {checked.value} document (it holds {held})"
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
        if not self.pending_events:
            return self
        copy = _SAVED_COPIES.get(type(self))
        if copy is None:  # without_events, one copier per class (every save asks)
            copy = _SAVED_COPIES[type(self)] = copier(type(self), "pending_events")
        return copy(self, ())  # type: ignore[no-any-return]  # a copier of type(self)

    @property
    def complete(self) -> bool:
        """Return whether every document is at the end of its lifecycle (SUB-15).

        A complete application refuses every command. The shipping address (b) ends
        発送済, so an application whose other documents are 承諾 can still ship.
        """
        final = _FINAL
        for document in self.documents:  # a loop, not all(): every command asks (SUB-15)
            statuses = final.get(document.kind)
            if document.status not in (
                _final_statuses(document.kind) if statuses is None else statuses
            ):
                return False
        return True

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
        through sales. ``actor`` must be an :class:`Actor` member and ``event`` a string
        (SEC-2).
        """
        if (  # _check_time's common case, spelled out: the service's time budget
            type(at) is datetime
            and at.tzinfo is JST
            and at >= self.updated_at
            and self.closed_at is None
            and not self.complete
        ):
            instant = at
        else:
            instant = self._check_time(at)  # refuses it, naming why
        by_actor = actor if type(actor) is Actor else _actor(actor)
        if type(event) is not str or len(event) > _MAX_EVENT:
            msg = f"event must be an event name (a short str), not {excerpt(event)}"
            raise ValidationError(msg, field="event", rule="SEC-2")
        documents = self.documents
        index = 0
        for document in documents:  # document(kind), keeping the index for the new tuple
            if document.kind is kind:
                break
            index += 1
        else:
            document = self.document(kind)  # refuses the kind, naming it
        source = document.status
        if source is S.ACCEPTED and kind.is_parameter_sheet:
            self._check_not_closed(document, event)
        target = kind.lifecycle.fire(source, event, actor=by_actor)
        note = (
            None
            if comment is None and event not in _GUARDED_EVENTS
            else self._check_guards(document, event, comment, by_actor)
        )
        if note is not None:
            # The comment's parts are checked: the text by _check_guards, the event by fire.
            said = _COMMENT(by_actor, event, note, instant)
            moved = _COMMENTED(document, target, note, (*document.comments, said))
            if target is S.ACCEPTED:
                moved = replace(moved, accepted_at=instant)
        elif target is S.ACCEPTED:
            moved = _ACCEPTED(document, target, instant)
        else:
            moved = _MOVED(document, target)
        # Every field is checked above or comes from this application, which was checked
        # when it was built: the event is built without checking them again (the service's
        # time budget), as the constructor would build it (PORT-3).
        version = self.version + 1
        recorded = _STATUS_CHANGED(
            self.id,
            version,
            instant,
            self.site,
            self.contact_email,
            kind,
            event,
            source,
            target,
            by_actor,
            note,
        )
        copy = _SEND_COPIES.get(type(self))
        if copy is None:  # with_event, its arguments spelled out, one copier per class
            copy = _SEND_COPIES[type(self)] = copier(
                type(self), "documents", "version", "updated_at", "pending_events"
            )
        pending = self.pending_events
        changed = list(documents)  # the documents with the moved one replaced, in two steps
        changed[index] = moved
        return copy(  # type: ignore[no-any-return]  # a copier of type(self) makes a Self
            self,
            tuple(changed),
            version,
            instant,
            (*pending, recorded) if pending else (recorded,),
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
        if kind.is_parameter_sheet:
            stored = parameter_sheet_filename(
                _bare_upload_name(bare_file_name(file_name, "file_name")),
                uploaded_at=instant,
                company_abbrev=self.site.company_abbrev,
                location=self.site.location,
            )
        else:
            stored = _bare_upload_name(
                check_line(file_name, field="file_name", rule="SUB-3", max_length=200)
            )
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
        merged = {**document.details, **check_details(details, kind)}
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
        checked = _complete_contacts(
            require(contacts, FaultContacts, field="contacts", rule="SUB-3", what="FaultContacts")
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
        if _actor(actor) is not Actor.OPERATOR:
            raise PermissionDenied(
                f"only the operator may set a submission deadline, not {actor!s}",
                actor=str(actor),
                event="set_deadline",
                state=document.status.name,
                rule="SUB-2",
                state_label=document.status.label,
            )
        day = as_day(deadline, "deadline")
        if day < instant.date():  # SUB-3(b): 提出締切日 is a day still to come (or today)
            msg = (
                f"deadline {day.isoformat()} is before the day it is set, "
                f"{instant.date().isoformat()} (JST)"
            )
            raise ValidationError(msg, field="deadline", rule="SUB-3")
        return self._record(
            DeadlineSet,
            instant,
            {"kind": kind, "deadline": day},
            documents=self._with(replace(document, deadline=day)),
        )

    def close(self, *, actor: Actor, at: datetime) -> Self:
        """Close (取消) the application (SUB-16); closing is terminal.

        The customer may close an application none of whose documents is under the
        operator's review (確認中, 受領) or done; the operator may close any application that
        is not complete (a complete one refuses every command, SUB-15). A closed 拠点名変更
        no longer locks its site (SUB-5).
        """
        instant = self._check_time(at)
        by_actor = _actor(actor)
        if by_actor is Actor.CUSTOMER:
            for document in self.documents:
                if document.status in _WITH_OPERATOR or document.done:
                    raise InvalidTransition(
                        f"{document.kind.label} is {document.status.label}: the customer may "
                        "close an application only while no document is under review or done; "
                        "ask the operator to close it",
                        state=document.status.name,
                        event="close",
                        lifecycle=document.kind.lifecycle.name,
                        rule="SUB-16",
                        state_label=document.status.label,
                        reason="operator_closes",
                    )
        elif by_actor is not Actor.OPERATOR:
            raise PermissionDenied(
                f"only the customer or the operator may close an application, not {by_actor!s}",
                actor=str(by_actor),
                event="close",
                rule="SUB-16",
            )
        return self._record(ApplicationClosed, instant, {"actor": by_actor}, closed_at=instant)

    # -- helpers ------------------------------------------------------------------------------

    def _check_guards(
        self, document: Document, event: str, comment: str | None, actor: Actor
    ) -> str | None:
        """Check the guards that need data; return the move's comment, checked (SUB-2)."""
        kind = document.kind
        note = None
        if event == "send_back":
            note = check_line(comment, field="comment", rule="SUB-3", max_length=_MAX_COMMENT)
        elif comment is not None:
            if actor is not Actor.OPERATOR:
                msg = "only the operator comments on its moves; the customer's carry no comment"
                raise ValidationError(msg, field="comment", rule="SUB-2")
            note = check_line(comment, field="comment", rule="SUB-2", max_length=_MAX_COMMENT)
        if event == "accept":
            self._check_accept(document)
        elif event in ("submit", "complete_fields"):
            missing = document.missing_details() if kind in REQUIRED_DETAILS else ()
            if missing:
                msg = f"{kind.label} needs these details before {event}: {', '.join(missing)}"
                raise ValidationError(msg, field="details", rule="SUB-3")
            if event != "submit":
                return note
            if not document.uploads and kind.needs_upload:
                msg = f"{kind.label} can be submitted only with an uploaded file"
                raise ValidationError(msg, field="uploads", rule="SUB-3")
            if (
                document.contacts is None or type(document.contacts.first) is not Contact
            ) and kind.has_fault_contacts:
                msg = f"{kind.label} can be submitted only with the first fault contact"
                raise ValidationError(msg, field="contacts", rule="SUB-3")
        return note

    def _check_not_accepted(self, event: str) -> None:
        """Refuse to change construction once the application form is 承諾 (SUB-15)."""
        form = self.document(self._construction_form)
        if form.status is S.ACCEPTED:
            raise InvalidTransition(
                f"the application form is {S.ACCEPTED.label}: the construction dates and the "
                "schedule can no longer be changed",
                state=form.status.name,
                event=event,
                lifecycle=form.kind.lifecycle.name,
                rule="SUB-15",
                state_label=form.status.label,
                reason="construction_fixed",
            )

    def _record_completion(self, completed_on: date, actor: Actor, instant: datetime) -> Self:
        """Record that the construction completed (SUB-12, SUB-17); the operator's.

        Refused once the form it lets be 承諾 is 承諾 (SUB-15). ``instant`` is checked.
        """
        self._check_not_accepted("record_construction_completed")
        if _actor(actor) is not Actor.OPERATOR:
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
        """Let a subclass refuse 承諾 until its own condition holds."""

    def _check_not_closed(self, document: Document, event: str) -> None:
        if document.kind.is_parameter_sheet and document.status is S.ACCEPTED:
            raise InvalidTransition(
                f"the parameter sheet is {S.ACCEPTED.label}: it can no longer be changed "
                f"here; ask {SALES_DESK}",
                state=document.status.name,
                event=event,
                lifecycle=document.kind.lifecycle.name,
                rule="SUB-3",
                state_label=document.status.label,
                reason="through_sales",
            )

    def _check_editable(self, document: Document, event: str) -> None:
        if document.status not in _EDITABLE:
            raise InvalidTransition(
                f"{document.kind.label} cannot be edited while {document.status.label}",
                state=document.status.name,
                event=event,
                lifecycle=document.kind.lifecycle.name,
                rule="SUB-3",
                state_label=document.status.label,
            )

    def _check_time(self, at: datetime) -> datetime:
        """Return the command's instant; refuse every command once the application is over.

        Every command starts here, so a complete application (SUB-15) refuses them all
        before anything else is looked at.
        """
        instant = command_instant(at, self.updated_at, what="application")
        if self.closed_at is not None:
            raise InvalidTransition(
                f"application {self.id} was closed (取消): closing is terminal, so no command "
                "changes it any more",
                state="closed",
                event=None,
                lifecycle=_APPLICATION,
                rule="SUB-16",
                state_label="取消済み",
                reason="closed",
            )
        if self.complete:
            raise InvalidTransition(
                f"application {self.id} is complete: every document is done, so no command "
                "changes it any more",
                state="complete",
                event=None,
                lifecycle=_APPLICATION,
                rule="SUB-15",
                state_label="完了",
                reason="complete",
            )
        return instant

    def _with(self, document: Document) -> tuple[Document, ...]:
        documents = self.documents
        kind = document.kind
        for index, held in enumerate(documents):
            if held.kind is kind:
                return (*documents[:index], document, *documents[index + 1 :])
        return documents

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


@stored("submission.NewInstallation", version=2)
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

    def __attrs_post_init__(self) -> None:
        """Refuse a new installation built by hand from values its form would refuse."""
        super().__attrs_post_init__()
        selected = check_asp_selection(self.menu, self.asps, bandwidth_mbps=self.bandwidth_mbps)
        if selected != self.asps:
            msg = "asps must be a tuple of distinct ASP members in catalogue order"
            raise ValidationError(msg, field="asps", rule="SUB-9")
        require(self.weekday_daytime, bool, field="weekday_daytime", rule="SUB-10", what="a bool")
        if self.schedule is not None:
            require(
                self.schedule,
                ConstructionSchedule,
                field="schedule",
                rule="SUB-10",
                what="a schedule or None",
            )
        if self.completed_on is not None:
            as_day(self.completed_on, "completed_on")

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
        menu = member(Menu, "menu", "SUB-9")(menu)
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
        """Give the construction preferences (SUB-10), matching the menu and the daytime flag.

        The site survey is due no earlier than 40 days after the JST date of ``at``, this
        command's instant (SUB-10 amended: "today" is never a day the caller supplies).
        """
        instant = self._check_time(at)
        self._check_not_accepted("set_schedule")
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
        try:
            earliest = earliest_site_survey(instant.date())
        except ValidationError as error:  # a date too late in the calendar: the command's
            raise ValidationError(error.message, field="at", rule=error.rule) from None
        too_early = tuple(
            ScheduleViolation(
                step=Step.SITE_SURVEY,
                preference=number,
                day=preference.day,
                earliest=earliest,
                reason="is too early",
            )
            for number, preference in enumerate(checked.site_survey, start=1)
            if preference.day < earliest
        )
        if too_early:
            raise ScheduleError(too_early)
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
        """Record that router installation completed (the operator's), for 承諾 and SUB-12.

        Once the application form is 承諾 the construction dates are frozen (SUB-15).
        """
        return self._record_completion(completed_on, actor, self._check_time(at))

    def _check_accept(self, document: Document) -> None:
        if document.kind is K.APPLICATION_FORM and self.completed_on is None:
            raise InvalidTransition(
                "the application form is accepted (承諾) only after construction is complete",
                state=document.status.name,
                event="accept",
                lifecycle=document.kind.lifecycle.name,
                rule="SUB-3",
                state_label=document.status.label,
                reason="after_construction",
            )


def _schema_1_schedule(data: dict[str, Any]) -> dict[str, Any]:
    """Drop the caller-supplied request day of a schema 1 schedule (SUB-10 amended, PORT-7).

    The survey's bound counts from the command that set the schedule, which was checked
    when it was stored. Data of another shape is passed on for decoding to refuse by field.
    """
    schedule = data.get("schedule")
    if not isinstance(schedule, dict) or "requested_on" not in schedule:
        return data
    return {**data, "schedule": {k: v for k, v in schedule.items() if k != "requested_on"}}


register_upcaster("submission.NewInstallation", 1, _schema_1_schedule)


@stored("submission.ChangeApplication")
@attrs.frozen(kw_only=True)
class ChangeApplication(Application):
    """A change application (設定変更申込) for an installed site (SUB-4 … SUB-6).

    ``change_menu`` says which change; ``asps_after_change`` (設定変更 only) lists every ASP
    in use after the change. That choice is fixed when the application is created: to
    undo it, start a new application (SUB-6).
    """

    change_menu: ChangeMenu
    asps_after_change: tuple[ASP, ...] | None = None
    completed_on: date | None = None
    site_id: str | None = None
    """The installed site the change was started for (SUB-5); ``None`` in data stored
    before sites existed, whose site is found by its name."""
    """When the change's construction completed (設定変更 only, SUB-17)."""

    _construction_form: ClassVar[DocumentKind] = K.CONFIGURATION_CHANGE

    def __attrs_post_init__(self) -> None:
        """Refuse a change application built by hand from values its form would refuse."""
        super().__attrs_post_init__()
        member(ChangeMenu, "change_menu", "SUB-4")(self.change_menu)
        asps: object = self.asps_after_change
        if asps is not None and (
            not isinstance(asps, tuple) or not asps or not all(type(a) is ASP for a in asps)
        ):
            msg = "asps_after_change must be None or a non-empty tuple of ASP members"
            raise ValidationError(msg, field="asps_after_change", rule="SUB-6")
        if self.completed_on is not None:
            as_day(self.completed_on, "completed_on")
        if self.site_id is not None:
            check_id(self.site_id, field="site_id")

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
        site_id: str | None = None,
    ) -> ChangeApplication:
        """Return a new change application with its documents (SUB-4, SUB-6).

        ``site_id`` names the installed site it is for (SUB-5; the service always gives it).
        """
        checked_menu = member(Menu, "menu", "SUB-9")(menu)
        change = member(ChangeMenu, "change_menu", "SUB-4")(change_menu)
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
        if asp_change is None:
            if bandwidth_mbps is not None:
                check_bandwidth(bandwidth_mbps)
        else:
            if bandwidth_mbps is None:
                msg = "an ASP change needs the site's bandwidth plan (bandwidth_mbps)"
                raise ValidationError(msg, field="bandwidth_mbps", rule="SUB-9")
            asps = check_asp_selection(
                checked_menu, asp_change, bandwidth_mbps=bandwidth_mbps, field="asp_change"
            )
        kinds = [K(change.value)]
        if is_configuration:
            kinds.append(K.CHANGE_PARAMETER_SHEET)  # SUB-17
        if monthly_billing_change:
            kinds.append(K.MONTHLY_BILLING_CHANGE)
        if fault_contact_change:
            kinds.append(K.FAULT_CONTACT_CHANGE)
        if one_time_fee_billing:
            kinds.append(K.ONE_TIME_FEE_BILLING)
        return cls(
            **_base_fields(id, customer_id, site, contact_email, created_at),
            menu=checked_menu,
            documents=tuple(Document.new(kind) for kind in kinds),
            change_menu=change,
            asps_after_change=asps,
            site_id=None if site_id is None else check_id(site_id, field="site_id"),
        )

    def record_construction_completed(
        self, completed_on: date, *, actor: Actor, at: datetime
    ) -> Self:
        """Record that a 設定変更's construction completed (the operator's, SUB-17).

        Its change form may be 承諾 only afterwards; other change menus have no
        construction (refused naming ``application_id``), and once the form is 承諾 the
        date is frozen (SUB-15).
        """
        instant = self._check_time(at)
        if self.change_menu is not ChangeMenu.CONFIGURATION_CHANGE:
            msg = f"{self.change_menu.label} has no construction to record; only 設定変更 has"
            raise ValidationError(msg, field="application_id", rule="SUB-17")
        return self._record_completion(completed_on, actor, instant)

    def _check_accept(self, document: Document) -> None:
        if document.kind is K.CONFIGURATION_CHANGE and self.completed_on is None:
            raise InvalidTransition(
                "the configuration change form is accepted (承諾) only after its construction "
                "is recorded complete (工事完了後)",
                state=document.status.name,
                event="accept",
                lifecycle=document.kind.lifecycle.name,
                rule="SUB-17",
                state_label=document.status.label,
                reason="after_construction",
            )

    @property
    def locks_site(self) -> bool:
        """Return whether this is a 拠点名変更 neither 承諾 nor closed (SUB-5, SUB-16)."""
        return (
            self.change_menu is ChangeMenu.SITE_NAME_CHANGE
            and self.closed_at is None
            and not self.document(K.SITE_NAME_CHANGE).done
        )


# -- sites (SUB-5) ------------------------------------------------------------------------------


_NEW: Final = "a new installation"


def _changing(value: object) -> ChangeApplication:
    """Return ``value`` if it is a change application (SUB-5, SEC-2)."""
    return require(value, ChangeApplication, field="application", rule="SUB-5", what="a change")


def _site_status(value: object) -> SiteStatus:
    if type(value) is not SiteStatus:
        msg = f"status must be a SiteStatus member, not {excerpt(value)}"
        raise ValidationError(msg, field="status", rule="SEC-2")
    return value


def _scheduled_application(value: str) -> str:
    return check_id(value, field="application_id")


def _scheduled_contacts(value: FaultContacts) -> FaultContacts:
    return _complete_contacts(
        require(value, FaultContacts, field="contacts", rule="SUB-3", what="FaultContacts")
    )


def _effective_on(value: date) -> date:
    return as_day(value, "effective_on")


@attrs.frozen(kw_only=True)
class ScheduledFaultContacts:
    """A 承諾 fault-contact change the site takes on ``effective_on`` (JST) (SUB-3(i)).

    ``application_id`` is the change application (故障連絡先変更, or a 設定変更 with that
    option) whose (i) document was accepted with a change date still to come.
    """

    application_id: str = attrs.field(converter=_scheduled_application)
    contacts: FaultContacts = attrs.field(converter=_scheduled_contacts)
    effective_on: date = attrs.field(converter=_effective_on)


def _site_contacts(value: object) -> None:
    if value is not None:
        require(value, FaultContacts, field="fault_contacts", rule="SUB-5", what="FaultContacts")


def _site_schedule(value: object) -> None:
    if (
        not isinstance(value, tuple)
        or not all(type(entry) is ScheduledFaultContacts for entry in value)
        or [entry.effective_on for entry in value] != sorted(e.effective_on for e in value)
        or len({entry.application_id for entry in value}) != len(value)
    ):
        msg = (
            "scheduled_contacts must be a tuple of ScheduledFaultContacts, one per change, "
            f"earliest first, not {excerpt(value)}"
        )
        raise ValidationError(msg, field="scheduled_contacts", rule="SUB-3")


@stored("submission.Site", version=2)
@attrs.frozen(kw_only=True)
class Site:
    """An installed site (拠点) of a customer (SUB-5): the record the library owns.

    Its name is unique among the customer's sites (SUB-7); ``menu``, ``bandwidth_mbps`` and
    ``asps`` are what it was installed with, as changes since left them. A new installation
    creates it when complete (:meth:`install`; its id is the installation's). Every change
    application is started against it (:meth:`start_change`), which is refused while a
    拠点名変更 is open (``renaming_by``, SUB-5): starting a change always records an event,
    so two changes started at once are a compare-and-set on the site and one loses.

    ``fault_contacts`` are the site's fault contacts (SUB-3(e), from the installation's
    故障連絡先情報; ``None`` for a site stored before the site held them), changed by a 承諾
    故障連絡先変更 on its effective date (SUB-3(i), :meth:`change_fault_contacts`);
    ``scheduled_contacts`` the accepted changes whose date is still to come, earliest first,
    which :meth:`apply_due` applies on their day (``next_due_at``).

    Decisions (the seed is silent):

    - "On acceptance" is the 承諾 instant: a change without a change date applies then; so
      does one whose date has already come (JST) by then — it never waits for a date past.
    - A change with a later date waits in ``scheduled_contacts``; several accepted changes
      take effect in the order of their dates (those of one day in the order accepted), so
      the contacts in force are those of the latest change whose date has come. A change
      applied at once first applies the scheduled ones already due, so a late sweep can
      never put older contacts over newer ones.
    - Closing the change application after its (i) document was 承諾 does not withdraw the
      accepted change (as an accepted ASP change is not undone).
    """

    id: str
    customer_id: str
    name: SiteName
    menu: Menu
    bandwidth_mbps: float
    asps: tuple[ASP, ...]
    status: SiteStatus = SiteStatus.IN_SERVICE
    renaming_by: str | None = None
    fault_contacts: FaultContacts | None = None
    scheduled_contacts: tuple[ScheduledFaultContacts, ...] = ()
    version: int = 0
    updated_at: datetime
    pending_events: tuple[SiteEvent, ...] = ()

    def __attrs_post_init__(self) -> None:
        """Refuse a site built by hand from values the commands would refuse (SEC-2)."""
        check_text(self.id, field="id", rule=None, max_length=_MAX_ID)
        check_text(self.customer_id, field="customer_id", rule=None, max_length=_MAX_ID)
        require(self.name, SiteName, field="name", rule="SUB-7", what="a SiteName")
        member(Menu, "menu", "SUB-9")(self.menu)
        selected = check_asp_selection(self.menu, self.asps, bandwidth_mbps=self.bandwidth_mbps)
        if selected != self.asps:
            msg = "asps must be a tuple of distinct ASP members in catalogue order"
            raise ValidationError(msg, field="asps", rule="SUB-9")
        _site_status(self.status)
        if self.renaming_by is not None:
            check_id(self.renaming_by, field="renaming_by")
        if (self.status is SiteStatus.RENAMING) is (self.renaming_by is None):
            msg = "a site is 拠点名変更中 exactly while renaming_by names the 拠点名変更"
            raise ValidationError(msg, field="renaming_by", rule="SUB-5")
        _site_contacts(self.fault_contacts)
        _site_schedule(self.scheduled_contacts)
        version: object = self.version
        if type(version) is not int or version < 0:
            msg = f"version must be a non-negative int, not {excerpt(version)}"
            raise ValidationError(msg, field="version", rule="PORT-2")
        to_jst(self.updated_at, field="updated_at")
        events: object = self.pending_events
        if not isinstance(events, tuple) or not all(isinstance(e, SiteEvent) for e in events):
            msg = "pending_events must be a tuple of site events"
            raise ValidationError(msg, field="pending_events", rule="PORT-3")

    @classmethod
    def install(cls, application: NewInstallation, *, at: datetime) -> Site:
        """Return the site a complete new installation creates, at version 1 (SUB-5)."""
        require(
            application,
            NewInstallation,
            field="application",
            rule="SUB-5",
            what="a new installation",
        )
        if not application.progress().complete:
            msg = (
                f"{application.id} is not complete: its site is created when every document is done"
            )
            raise ValidationError(msg, field="application", rule="SUB-5")
        instant = to_jst(at, field="at")
        contacts = None
        for document in application.documents:
            if document.kind is K.FAULT_CONTACTS:
                contacts = document.contacts
        site = cls(
            id=application.id,
            customer_id=application.customer_id,
            name=application.site,
            menu=application.menu,
            bandwidth_mbps=application.bandwidth_mbps,
            asps=application.asps,
            fault_contacts=contacts,
            updated_at=instant,
        )
        return site._record(SiteInstalled, instant, application.id, {"site_name": site.name})

    @property
    def locked(self) -> bool:
        """Return whether a 拠点名変更 is open, which blocks every other change (SUB-5)."""
        return self.renaming_by is not None

    @property
    def next_due_at(self) -> datetime | None:
        """Return when the earliest scheduled fault-contact change applies (SUB-3(i)).

        The start (00:00 JST) of its effective date; ``None`` when none is scheduled.
        """
        if not self.scheduled_contacts:
            return None
        return datetime.combine(self.scheduled_contacts[0].effective_on, time(0), tzinfo=JST)

    def saved(self) -> Site:
        """Return the site as stored: the same state, no pending events."""
        return without_events(self)

    def start_change(self, application: ChangeApplication, *, at: datetime) -> Site:
        """Record that ``application`` starts for this site; a 拠点名変更 locks it (SUB-5).

        Refused while another 拠点名変更 is open, and for an application of another
        customer or for another site name.
        """
        require(
            application,
            ChangeApplication,
            field="application",
            rule="SUB-5",
            what="a change application",
        )
        instant = command_instant(at, self.updated_at, what="site")
        if application.customer_id != self.customer_id or not self._holds(application):
            msg = f"{application.id} is not an application for the site {self.name}"
            raise ValidationError(msg, field="application", rule="SUB-5")
        if self.renaming_by is not None:
            msg = (
                f"{self.name} has a 拠点名変更 ({self.renaming_by}) that is neither 承諾 nor "
                "closed; no other change application can be started for the site until it is"
            )
            raise ValidationError(msg, field="site_id", rule="SUB-5")
        changes: dict[str, Any] = {}
        if application.change_menu is ChangeMenu.SITE_NAME_CHANGE:
            status = SITE_LIFECYCLE.fire(self.status, "start_rename", actor=Actor.SYSTEM)
            changes = {"status": status, "renaming_by": application.id}
        return self._record(
            SiteChangeStarted,
            instant,
            application.id,
            {"change_menu": application.change_menu},
            **changes,
        )

    def rename(self, application: ChangeApplication, new_name: SiteName, *, at: datetime) -> Site:
        """Take the name the 拠点名変更 ``application`` gave, on its 承諾 (SUB-5, SUB-7)."""
        self._check_renaming(application)
        checked = require(new_name, SiteName, field="new_name", rule="SUB-7", what="a SiteName")
        instant = command_instant(at, self.updated_at, what="site")
        status = SITE_LIFECYCLE.fire(self.status, "rename", actor=Actor.SYSTEM)
        return self._record(
            SiteRenamed,
            instant,
            application.id,
            {"previous": self.name, "new_name": checked},
            name=checked,
            status=status,
            renaming_by=None,
        )

    def close_rename(self, application: ChangeApplication, *, at: datetime) -> Site:
        """Release the lock of the 拠点名変更 ``application``, closed unaccepted (SUB-16)."""
        self._check_renaming(application)
        instant = command_instant(at, self.updated_at, what="site")
        status = SITE_LIFECYCLE.fire(self.status, "close_rename", actor=Actor.SYSTEM)
        return self._record(
            SiteRenameClosed, instant, application.id, {}, status=status, renaming_by=None
        )

    def change_asps(self, application: ChangeApplication, *, at: datetime) -> Site:
        """Take the ASPs the 設定変更 ``application`` lists, on its 承諾 (SUB-5, SUB-6)."""
        require(
            application,
            ChangeApplication,
            field="application",
            rule="SUB-5",
            what="a change application",
        )
        asps = application.asps_after_change
        if asps is None or not self._holds(application):
            msg = f"{application.id} changes no ASP of the site {self.name}"
            raise ValidationError(msg, field="application", rule="SUB-6")
        instant = command_instant(at, self.updated_at, what="site")
        selected = check_asp_selection(self.menu, asps, bandwidth_mbps=self.bandwidth_mbps)
        return self._record(
            SiteAspsChanged, instant, application.id, {"asps": selected}, asps=selected
        )

    def change_fault_contacts(self, application: ChangeApplication, *, at: datetime) -> Site:
        """Take the contacts of the 承諾 fault-contact change ``application`` (SUB-3(i), SUB-5).

        ``at`` is the 承諾 instant. Without a change date, or with one that has come (JST
        date of ``at``), the site takes the contacts now (:class:`SiteFaultContactsChanged`,
        after any scheduled change already due); with a later date the change is scheduled
        for it (:class:`SiteFaultContactsScheduled`) and the site keeps its contacts until
        :meth:`apply_due` reaches that date. Refused (``application``) for an application of
        another site, without a 承諾 (i) document, or already scheduled.
        """
        given = _changing(application)
        if not self._holds(given):
            msg = f"{given.id} is not an application for the site {self.name}"
            raise ValidationError(msg, field="application", rule="SUB-5")
        document = next((d for d in given.documents if d.kind is K.FAULT_CONTACT_CHANGE), None)
        if document is None or not document.done or document.contacts is None:
            msg = f"{given.id} has no 承諾 fault-contact change (故障連絡先変更) to apply"
            raise ValidationError(msg, field="application", rule="SUB-3")
        if any(entry.application_id == given.id for entry in self.scheduled_contacts):
            msg = f"the fault-contact change {given.id} is already scheduled for {self.name}"
            raise ValidationError(msg, field="application", rule="SUB-3")
        instant = command_instant(at, self.updated_at, what="site")
        today = instant.date()
        site = self._apply_through(today, instant)
        day = document.change_date
        if day is None or day <= today:
            return site._record(
                SiteFaultContactsChanged,
                instant,
                given.id,
                {"effective_on": today},
                fault_contacts=document.contacts,
            )
        entry = ScheduledFaultContacts(
            application_id=given.id, contacts=document.contacts, effective_on=day
        )
        waiting = site.scheduled_contacts
        place = sum(1 for held in waiting if held.effective_on <= day)  # after its day's others
        return site._record(
            SiteFaultContactsScheduled,
            instant,
            given.id,
            {"effective_on": day},
            scheduled_contacts=(*waiting[:place], entry, *waiting[place:]),
        )

    def apply_due(self, now: datetime) -> Site:
        """Apply every scheduled fault-contact change whose date has come at ``now`` (SUB-3(i)).

        Each, earliest first, gives the site its contacts with one
        :class:`SiteFaultContactsChanged`; the site itself (``is``) when none is due, so a
        second sweep records nothing.
        """
        instant = to_jst(now, field="now")
        return self._apply_through(instant.date(), max(instant, self.updated_at))

    def _apply_through(self, day: date, instant: datetime) -> Site:
        """Return the site with every change scheduled on or before ``day`` applied."""
        site = self
        while site.scheduled_contacts and site.scheduled_contacts[0].effective_on <= day:
            entry, *rest = site.scheduled_contacts
            site = site._record(
                SiteFaultContactsChanged,
                instant,
                entry.application_id,
                {"effective_on": entry.effective_on},
                fault_contacts=entry.contacts,
                scheduled_contacts=tuple(rest),
            )
        return site

    def _holds(self, application: ChangeApplication) -> bool:
        """Return whether ``application`` is for this site: by its id, or by name if it has none."""
        if application.site_id is not None:
            return application.site_id == self.id
        return application.site == self.name

    def _check_renaming(self, application: object) -> None:
        given = _changing(application)
        if self.renaming_by != given.id:
            msg = f"{given.id} is not the open 拠点名変更 of the site {self.name}"
            raise ValidationError(msg, field="application", rule="SUB-5")

    def _record(
        self,
        event_type: type[SiteEvent],
        occurred_at: datetime,
        application_id: str,
        fields: Mapping[str, object],
        **changes: Any,  # the fields of the next site that change
    ) -> Site:
        event = event_type(
            aggregate_id=self.id,
            version=self.version + 1,
            occurred_at=occurred_at,
            application_id=application_id,
            **fields,
        )
        return with_event(self, event, **changes)


def _schema_1_site(data: dict[str, Any]) -> dict[str, Any]:
    """Give a site stored before sites held fault contacts none, and nothing scheduled.

    Schema 1 (SUB-5 before SUB-3(i) reached the site) had neither field; its contacts are
    unknown (``None``) rather than guessed from an application (PORT-7).
    """
    return {"fault_contacts": None, "scheduled_contacts": [], **data}


register_upcaster("submission.Site", 1, _schema_1_site)
