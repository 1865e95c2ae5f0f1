"""Values, statuses and events of the おまかせログイン contract (CON-1 … CON-9)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

import attrs

from omakase_core._validation import check_email, check_text
from omakase_core.calendar import to_jst
from omakase_core.events import Event
from omakase_core.lifecycle import Status

__all__ = [
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
    "RegistrationPurged",
    "ServiceEnded",
    "TerminationCycle",
    "TerminationRequested",
    "TerminationTimeline",
]

_MAX_NAME = 100


class ContractStatus(Status):
    """The contract's status (CON-1); ``.label`` is the portal's Japanese word."""

    ACTIVE = "active", "契約中"
    TERMINATED = "terminated", "契約終了"
    SERVICE_ENDED = "service_ended", "利用停止"
    PURGED = "purged", "登録抹消"


class DirectoryRole(enum.StrEnum):
    """The role of a user account in the おまかせログイン user directory (CON-8)."""

    ADMINISTRATOR = "administrator"
    USER = "user"


class AdminAccount(enum.StrEnum):
    """What CON-8 did for the new contractor's administrator account."""

    KEPT = "kept"
    """They already were an administrator: nothing changed."""
    RAISED = "raised"
    """Their general-user account was raised to administrator; no new account."""
    ISSUED = "issued"
    """They had no account: an administrator account was issued, with a first-login notice."""


def _name(value: object) -> str:
    return check_text(value, field="name", rule="CON-7", max_length=_MAX_NAME)


def _email(value: object) -> str:
    return check_email(value, field="email", rule="CON-7")


def _instant(_: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    to_jst(value, field=attribute.name)


@attrs.frozen(kw_only=True)
class Contractor:
    """The contract holder (契約者): a name and a valid e-mail address, both required (CON-7)."""

    name: str = attrs.field(converter=_name)
    email: str = attrs.field(converter=_email)

    def same_address(self, other: Contractor) -> bool:
        """Return whether both have the same e-mail address (case-insensitive)."""
        return self.email.casefold() == other.email.casefold()


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

    timeline: TerminationTimeline
    reinstated_at: datetime | None = None


@attrs.frozen(kw_only=True)
class ContractorChange:
    """A pending contractor change (CON-7): who it goes to and when it was requested."""

    new: Contractor
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

    version: int
    admin_account: AdminAccount


# -- events --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ContractEvent(Event):
    """Base of the contract's events; ``contractor`` is the addressee at that moment."""

    aggregate_type: ClassVar[str] = "contract"

    contractor: Contractor


@attrs.frozen(kw_only=True)
class TerminationRequested(ContractEvent):
    """The contractor requested termination (CON-3); the timeline is fixed at this instant."""

    timeline: TerminationTimeline


@attrs.frozen(kw_only=True)
class ContractReinstated(ContractEvent):
    """The contractor reinstated the contract before its deadline (CON-4)."""

    cancelled: TerminationTimeline


@attrs.frozen(kw_only=True)
class ServiceEnded(ContractEvent):
    """The 14-day period ran out: the service is no longer usable (CON-5)."""


@attrs.frozen(kw_only=True)
class RegistrationPurged(ContractEvent):
    """The 45-day period ran out: the registration data is purged (CON-5)."""


@attrs.frozen(kw_only=True)
class ContractorChangeRequested(ContractEvent):
    """The contractor asked to hand the contract to ``new`` (CON-7)."""

    new: Contractor


@attrs.frozen(kw_only=True)
class ContractorChangeCancelled(ContractEvent):
    """The contractor withdrew the pending change to ``new`` (CON-9)."""

    new: Contractor


@attrs.frozen(kw_only=True)
class ContractorChangeCompleted(ContractEvent):
    """The new contractor logged in for the first time (CON-7, CON-8).

    ``contractor`` is the new contractor, ``previous`` the old one; ``admin_account`` says
    what CON-8 did.
    """

    previous: Contractor
    admin_account: AdminAccount
