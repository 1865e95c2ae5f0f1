"""OCN's values: statuses, applications and the event (OCN-2, OCN-3, OCN-4).

Decisions (the seed leaves them open):

- OCN-2: an application names the new accounts' local parts (before the @) and/or the
  accounts whose virus check is switched on; the pattern says which of the two it carries,
  and the other must be empty.
- OCN-3: "until processed" means until the operator registered the change or reported the
  desired name unavailable.
- SEC-2: every enum-valued field (the pattern, the statuses) refuses a plain string, a
  label, ``None`` where a member is required, and a member of another enum.
"""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import Any, ClassVar, Final

import attrs

from omakase_core._validation import StrictEnumType, check_email, check_text, require
from omakase_core.calendar._jst import as_day
from omakase_core.codec import stored
from omakase_core.errors import ValidationError
from omakase_core.events import Event
from omakase_core.lifecycle import Status
from omakase_core.ocn.rules import check_local_parts, check_phone

__all__ = [
    "CancellationRequest",
    "CancellationStatus",
    "MailChangePattern",
    "MailChangeRequest",
    "MailChangeStatus",
    "OcnEvent",
]


class MailChangeStatus(Status):
    """A mail-change application's status (OCN-2, OCN-3)."""

    REQUESTED = "requested", "申込中"
    CANCELLED = "cancelled", "取消"
    REGISTERED = "registered", "登録完了"
    NAME_UNAVAILABLE = "name_unavailable", "登録不可"


class CancellationStatus(Status):
    """A cancellation's (廃止) status (OCN-4)."""

    SUBMITTED = "submitted", "申込済"
    ACCEPTED = "accepted", "受付済"
    COMPLETED = "completed", "廃止完了"


class MailChangePattern(enum.Enum, metaclass=StrictEnumType):
    """What a mail-change application changes: exactly one of three (OCN-2)."""

    VIRUS_CHECK_ONLY = "virus_check_only"
    ACCOUNT_AND_VIRUS_CHECK = "account_and_virus_check"
    ACCOUNT_ONLY = "account_only"


@attrs.frozen(kw_only=True)
class MailChangeRequest:
    """A mail-change application (OCN-2): one pattern, and only the fields it uses.

    ``new_accounts`` are the desired local parts of accounts to add; ``virus_checks`` the
    accounts (local parts) whose virus check is to be switched on.
    """

    pattern: MailChangePattern
    new_accounts: tuple[str, ...] = ()
    virus_checks: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        require(self.pattern, MailChangePattern, field="pattern", rule="OCN-2", what="a pattern")
        accounts = check_local_parts(self.new_accounts, field="new_accounts")
        checks = check_local_parts(self.virus_checks, field="virus_checks")
        wants_accounts = self.pattern is not MailChangePattern.VIRUS_CHECK_ONLY
        wants_checks = self.pattern is not MailChangePattern.ACCOUNT_ONLY
        for field, given, wanted in (
            ("new_accounts", accounts, wants_accounts),
            ("virus_checks", checks, wants_checks),
        ):
            if wanted and not given:
                msg = f"{self.pattern.value} needs {field}"
                raise ValidationError(msg, field=field, rule="OCN-2")
            if given and not wanted:
                msg = f"{field} must be empty for {self.pattern.value}"
                raise ValidationError(msg, field=field, rule="OCN-2")


@attrs.frozen(kw_only=True)
class CancellationRequest:
    """A cancellation (廃止) application: every field required, e-mail confirmed (OCN-4)."""

    desired_date: date
    reason: str
    reason_detail: str
    migration_reason: str
    contact_name: str
    phone: str
    email: str
    email_confirmation: str

    def __attrs_post_init__(self) -> None:
        as_day(self.desired_date, "desired_date")
        for field in ("reason", "reason_detail", "migration_reason", "contact_name"):
            check_text(getattr(self, field), field=field, rule="OCN-4", max_length=1000)
        check_phone(self.phone)
        check_email(self.email, field="email", rule="OCN-4")
        if self.email_confirmation != self.email:
            msg = "email_confirmation does not match email"
            raise ValidationError(msg, field="email_confirmation", rule="OCN-4")


_EVENT_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")
_MAX_DETAIL: Final = 200


def _event_name(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or _EVENT_NAME.fullmatch(value) is None:
        shown = "text that is not one" if isinstance(value, str) else type(value).__name__
        msg = f"event must be a step's name (lower-case letters, digits, '_'), not {shown}"
        raise ValidationError(msg, field="event", rule="PORT-3")


def _detail(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        msg = f"detail must be text, not {type(value).__name__}"
        raise ValidationError(msg, field="detail", rule="PORT-3")
    if len(value) > _MAX_DETAIL or not value.isprintable():
        msg = f"detail must be printable text of at most {_MAX_DETAIL} characters"
        raise ValidationError(msg, field="detail", rule="PORT-3")


@stored("ocn.OcnEvent")
@attrs.frozen(kw_only=True)
class OcnEvent(Event):
    """An OCN customer's recorded step; ``event`` names it and ``detail`` adds its data.

    SEC-2: ``event`` is a step's name (``mail_change_requested``), ``detail`` empty or short
    printable text (a pattern, a date): anything else is refused on construction, so that
    no event the codec cannot encode is ever recorded (PORT-3).
    """

    aggregate_type: ClassVar[str] = "ocn"

    event: str = attrs.field(validator=_event_name)
    detail: str = attrs.field(default="", validator=_detail)
