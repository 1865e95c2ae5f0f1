"""Values, statuses and events of the おまかせログイン contract (CON-1 … CON-9).

SEC-2: every value checks what it is given when it is built — a contractor where a
:class:`Contractor` belongs, an aware instant where an instant belongs, a member (never its
plain value, name or label) where an enum belongs — so a malformed value is a
``ValidationError`` naming the field, never a crash later. ``DirectoryRole("nope")`` and
``AdminAccount("nope")`` are refused the same way (:class:`StrictEnumType`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar, Final

import attrs

from omakase_core._validation import StrictEnumType, check_email, check_text
from omakase_core.calendar import to_jst
from omakase_core.codec import stored
from omakase_core.errors import ValidationError, excerpt
from omakase_core.events import Event
from omakase_core.lifecycle import Status

__all__ = [
    "ERASED_EMAIL",
    "ERASED_NAME",
    "AdminAccount",
    "CompletedChange",
    "ContractEvent",
    "ContractReinstated",
    "ContractStatus",
    "Contractor",
    "ContractorChange",
    "ContractorChangeCancelled",
    "ContractorChangeCompleted",
    "ContractorChangeRequested",
    "DirectoryRole",
    "RegistrationErased",
    "RegistrationPurged",
    "ServiceEnded",
    "TerminationCycle",
    "TerminationRequested",
    "TerminationTimeline",
]

_MAX_NAME = 100


class ContractStatus(Status):
    """The contract's status (CON-1); ``.label`` is the portal's Japanese word.

    CON-1 (amended): the status after the 14 days is 利用終了, never 利用停止, which is the
    seeds' word for the termination *request* (利用停止手続き, 利用停止受理通知). Its English
    id ``service_ended`` is unchanged, so ``ContractStatus("service_ended")`` and every
    contract stored before the amendment still read.
    """

    ACTIVE = "active", "契約中"
    TERMINATED = "terminated", "契約終了"
    SERVICE_ENDED = "service_ended", "利用終了"
    PURGED = "purged", "登録抹消"


class DirectoryRole(enum.StrEnum, metaclass=StrictEnumType):
    """The role of a user account in the おまかせログイン user directory (CON-8)."""

    ADMINISTRATOR = "administrator"
    USER = "user"


class AdminAccount(enum.StrEnum, metaclass=StrictEnumType):
    """What CON-8 did for the new contractor's administrator account."""

    KEPT = "kept"
    """They already were an administrator: nothing changed."""
    RAISED = "raised"
    """Their general-user account was raised to administrator; no new account."""
    ISSUED = "issued"
    """They had no account: an administrator account was issued, with a first-login notice."""


def _name(value: str) -> str:
    return check_text(value, field="name", rule="SEC-2", max_length=_MAX_NAME)


def _email(value: str) -> str:
    return check_email(value, field="email", rule="SEC-2")


def _instant(_: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    to_jst(value, field=attribute.name)


def _optional_instant(
    _: object, attribute: attrs.Attribute[datetime | None], value: datetime | None
) -> None:
    if value is not None:
        to_jst(value, field=attribute.name)


def check_contractor(value: object, field: str) -> Contractor:
    """Return ``value`` if it is a :class:`Contractor`; refuse anything else (SEC-2).

    A contractor's name and e-mail are checked as values (SEC-2) wherever one is given —
    opening a contract as much as a contractor change (CON-7) — so a refusal names SEC-2,
    not the rule of one of the commands that take a contractor.
    """
    if not isinstance(value, Contractor):
        msg = f"{field} must be a Contractor with a name and an e-mail, not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule="SEC-2")
    return value


def new_contractor(name: str, email: str) -> Contractor:
    """Return the contractor a change hands the contract to (CON-7).

    CON-7 requires both the name and a valid e-mail of the new contractor, so a refusal
    here names CON-7; the same values given anywhere else are refused as values (SEC-2).
    """
    return Contractor(
        name=check_text(name, field="name", rule="CON-7", max_length=_MAX_NAME),
        email=check_email(email, field="email", rule="CON-7"),
    )


def _contractor(_: object, attribute: attrs.Attribute[Contractor], value: object) -> None:
    check_contractor(value, attribute.name)


def _timeline(_: object, attribute: attrs.Attribute[TerminationTimeline], value: object) -> None:
    if not isinstance(value, TerminationTimeline):
        msg = f"{attribute.name} must be a TerminationTimeline, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _admin_account(_: object, attribute: attrs.Attribute[AdminAccount], value: object) -> None:
    """Refuse anything but an :class:`AdminAccount` member, its plain value included (SEC-2)."""
    if type(value) is not AdminAccount:
        msg = f"{attribute.name} must be an AdminAccount member, not {excerpt(value)}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


def _positive_version(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 1:
        shown = excerpt(value) if type(value) is not int else "a number below 1"
        msg = f"{attribute.name} must be a contract version of at least 1, not {shown}"
        raise ValidationError(msg, field=attribute.name, rule="SEC-2")


ERASED_NAME: Final = "[erased under CON-10]"
"""The name a contractor's record holds once its personal data is erased (CON-10)."""
ERASED_EMAIL: Final = "erased@erased.invalid"
"""The address a contractor's record holds once erased: ``.invalid`` never delivers (RFC 2606)."""


@attrs.frozen(kw_only=True)
class Contractor:
    """The contract holder (契約者): a name and a valid e-mail address, both required (CON-7).

    :meth:`erased` is the explicit redaction marker that replaces a contractor's name and
    e-mail at 登録抹消 (CON-10): :attr:`is_erased` tells it apart, and no notice is ever
    addressed to it.
    """

    name: str = attrs.field(converter=_name)
    email: str = attrs.field(converter=_email)

    @classmethod
    def erased(cls) -> Contractor:
        """Return the redaction marker standing for an erased contractor (CON-10)."""
        return _ERASED

    @property
    def is_erased(self) -> bool:
        """Return whether this is the redaction marker of an erased contractor (CON-10)."""
        return self.email == ERASED_EMAIL and self.name == ERASED_NAME

    def same_address(self, other: Contractor) -> bool:
        """Return whether both have the same e-mail address (case-insensitive)."""
        return self.email.casefold() == check_contractor(other, "other").email.casefold()


_ERASED: Final = Contractor(name=ERASED_NAME, email=ERASED_EMAIL)


@attrs.frozen(kw_only=True)
class TerminationTimeline:
    """The instants of one termination (CON-3), all exclusive JST ends (CAL-4).

    ``reinstatable_until`` and ``service_ends_at`` are the same instant: the end of the
    14-day period; ``purge_at`` is the end of the 45-day period.
    """

    requested_at: datetime = attrs.field(validator=_instant)
    reinstatable_until: datetime = attrs.field(validator=_instant)
    service_ends_at: datetime = attrs.field(validator=_instant)
    purge_at: datetime = attrs.field(validator=_instant)


@attrs.frozen(kw_only=True)
class TerminationCycle:
    """One termination kept in the contract's history, and its reinstatement if any (CON-4)."""

    timeline: TerminationTimeline = attrs.field(validator=_timeline)
    reinstated_at: datetime | None = attrs.field(default=None, validator=_optional_instant)


@attrs.frozen(kw_only=True)
class ContractorChange:
    """A pending contractor change (CON-7): who it goes to and when it was requested."""

    new: Contractor = attrs.field(validator=_contractor)
    requested_at: datetime = attrs.field(validator=_instant)


@attrs.frozen(kw_only=True)
class CompletedChange:
    """The contractor change completed last, as CON-8's directory step needs it.

    ``version`` is the contract version its :class:`ContractorChangeCompleted` event carries
    and ``admin_account`` what CON-8 decided then. While it is the contract's last completed
    change and the contract is not 登録抹消, the new contractor's repeated first login (or
    ``ContractService.finish_contractor_change``, from the event's delivery) finishes the
    directory step instead of failing (CON-8: a crash between the contract's save and the
    directory write is finished by retrying the command). It holds no personal data.
    """

    version: int = attrs.field(validator=_positive_version)
    admin_account: AdminAccount = attrs.field(validator=_admin_account)


# -- events --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ContractEvent(Event):
    """Base of the contract's events; ``contractor`` is the addressee at that moment."""

    aggregate_type: ClassVar[str] = "contract"

    contractor: Contractor = attrs.field(validator=_contractor)


@stored("contract.TerminationRequested")
@attrs.frozen(kw_only=True)
class TerminationRequested(ContractEvent):
    """The contractor requested termination (CON-3); the timeline is fixed at this instant."""

    timeline: TerminationTimeline = attrs.field(validator=_timeline)


@stored("contract.ContractReinstated")
@attrs.frozen(kw_only=True)
class ContractReinstated(ContractEvent):
    """The contractor reinstated the contract before its deadline (CON-4)."""

    cancelled: TerminationTimeline = attrs.field(validator=_timeline)


@stored("contract.ServiceEnded")
@attrs.frozen(kw_only=True)
class ServiceEnded(ContractEvent):
    """The 14-day period ran out: the contract is 利用終了, the service no longer usable (CON-5)."""


@stored("contract.RegistrationPurged")
@attrs.frozen(kw_only=True)
class RegistrationPurged(ContractEvent):
    """The 45-day period ran out: the registration data is purged (CON-5, CON-10).

    Its ``contractor`` is already the redaction marker (:meth:`Contractor.erased`).
    """


@stored("contract.RegistrationErased")
@attrs.frozen(kw_only=True)
class RegistrationErased(ContractEvent):
    """The personal data of a contract purged before CON-10 was kept is erased now (CON-10).

    A contract purged by a release that did not erase (its contractor is not the erased
    marker) falls due again; the sweep erases it and records this event, at the sweep.
    """


@stored("contract.ContractorChangeRequested")
@attrs.frozen(kw_only=True)
class ContractorChangeRequested(ContractEvent):
    """The contractor asked to hand the contract to ``new`` (CON-7)."""

    new: Contractor = attrs.field(validator=_contractor)


@stored("contract.ContractorChangeCancelled")
@attrs.frozen(kw_only=True)
class ContractorChangeCancelled(ContractEvent):
    """The contractor withdrew the pending change to ``new`` (CON-9)."""

    new: Contractor = attrs.field(validator=_contractor)


@stored("contract.ContractorChangeCompleted")
@attrs.frozen(kw_only=True)
class ContractorChangeCompleted(ContractEvent):
    """The new contractor logged in for the first time (CON-7, CON-8).

    ``contractor`` is the new contractor, ``previous`` the old one; ``admin_account`` says
    what CON-8 did.
    """

    previous: Contractor = attrs.field(validator=_contractor)
    admin_account: AdminAccount = attrs.field(validator=_admin_account)
