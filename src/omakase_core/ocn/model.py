"""OCN's values: statuses, the two forms and the events (OCN-2 … OCN-5).

Decisions (the seed leaves them open):

- OCN-2: an application is about one account, as the seed's screens are (each row of the
  account list has its own 追加, 変更 and 削除): ``account`` is the existing account it is
  about (a rename, a deletion, a virus check alone), ``new_name`` the desired local part (an
  addition, a rename). A virus check is switched on (:attr:`VirusCheck.USE`, with
  ``virus_check_consent``: the seed's 「規約に同意して…申し込む」) or off
  (:attr:`VirusCheck.NOT_USE`, no consent, as the seed says) for that account; in the
  combined pattern, for the account being added or renamed. A deletion takes the account's
  virus check with it, so it is an account-only application. Consent given where no virus
  check is switched on is refused as a field outside the pattern.
- OCN-2: an addition from the seed's 追加 screen with 利用しない is an account-only
  application (the new account has no virus check); with 利用する it is the combined one.
- OCN-3: "until processed" means until the operator registered the change or reported the
  desired name unavailable.
- OCN-4: the form's texts are kept trimmed (the e-mail and its confirmation too, so that
  they are compared as the customer meant them); an optional field left empty (``None``,
  or text of spaces only, as a form sends it) is ``None``; a required one is refused.
- OCN-5: ``notify`` names the ticked accounts by their local part; the line turns them into
  addresses when the customer applies.
- SEC-2: every enum-valued field (the pattern, the action, the virus check, the statuses)
  refuses a plain string, a label, ``None`` where a member is required, and a member of
  another enum.
"""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import Any, ClassVar, Final

import attrs

from omakase_core._validation import StrictEnumType, check_email, check_text, require
from omakase_core.calendar._jst import as_day, check_int
from omakase_core.codec import stored
from omakase_core.errors import ValidationError
from omakase_core.events import Event
from omakase_core.lifecycle import Status
from omakase_core.ocn.rules import check_local_parts, check_phone

__all__ = [
    "AccountAction",
    "CancellationRequest",
    "CancellationStatus",
    "CancellationSubmitted",
    "MailChangeApplied",
    "MailChangePattern",
    "MailChangeRequest",
    "MailChangeStatus",
    "OcnEvent",
    "VirusCheck",
]


class MailChangeStatus(Status):
    """A mail-change application's status (OCN-2, OCN-3)."""

    REQUESTED = "requested", "申込中"
    CANCELLED = "cancelled", "取消"
    REGISTERED = "registered", "登録完了"
    NAME_UNAVAILABLE = "name_unavailable", "登録不可"


class CancellationStatus(Status):
    """A cancellation's (廃止) status: accepted on submission, then completed (OCN-4)."""

    ACCEPTED = "accepted", "廃止受付完了"
    COMPLETED = "completed", "廃止完了"


class MailChangePattern(enum.Enum, metaclass=StrictEnumType):
    """What a mail-change application changes: exactly one of three (OCN-2)."""

    VIRUS_CHECK_ONLY = "virus_check_only"
    ACCOUNT_AND_VIRUS_CHECK = "account_and_virus_check"
    ACCOUNT_ONLY = "account_only"


_ACTION_LABELS: Final = {"add": "追加", "rename": "変更", "delete": "削除"}
_CHECK_LABELS: Final = {"use": "利用する", "not_use": "利用しない"}


class AccountAction(enum.Enum, metaclass=StrictEnumType):
    """What an application does to an account (OCN-2): the seed's 追加, 変更 and 削除."""

    ADD = "add"
    RENAME = "rename"
    DELETE = "delete"

    @property
    def label(self) -> str:
        """Return the seed's word for the action (``追加``, ``変更``, ``削除``)."""
        return _ACTION_LABELS[self.value]


class VirusCheck(enum.Enum, metaclass=StrictEnumType):
    """The virus check an application asks for (OCN-2): 利用する or 利用しない."""

    USE = "use"
    NOT_USE = "not_use"

    @property
    def label(self) -> str:
        """Return the seed's word for the choice (``利用する``, ``利用しない``)."""
        return _CHECK_LABELS[self.value]


def _optional_name(value: object, field: str) -> str | None:
    """Return ``value``: a local part (:func:`~.rules.check_local_parts`) or ``None``."""
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"{field} must be a mail account name (text) or None, not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule="OCN-2")
    (name,) = check_local_parts((value,), field=field)
    return name


def _present(value: object, *, wanted: bool, field: str, why: str) -> None:
    """Refuse ``value`` missing where ``wanted``, or given where not (OCN-2)."""
    if wanted and value is None:
        raise ValidationError(f"{field} is needed: {why}", field=field, rule="OCN-2")
    if not wanted and value is not None:
        raise ValidationError(f"{field} must be empty: {why}", field=field, rule="OCN-2")


@attrs.frozen(kw_only=True)
class MailChangeRequest:
    """A mail-change application (OCN-2): one pattern, one account, only the fields they use.

    - ``pattern``: virus check only, account and virus check, or account only.
    - ``action``: for the account patterns, :attr:`AccountAction.ADD` (a new account),
      ``RENAME`` (「変更」: the count stays) or ``DELETE`` (never the basic account).
    - ``account``: the existing account the application is about (rename, delete, virus
      check only); ``None`` for an addition.
    - ``new_name``: the desired local part (add, rename); the host is assigned on registration.
    - ``virus_check`` and ``virus_check_consent``: for the virus-check patterns; switching
      it on needs consent to its terms, switching it off does not.
    - ``notify``: the accounts ticked for the confirmation mail (OCN-5); none, no mail.

    A new or renamed account's mail password is not part of the application: the service
    takes it with its confirmation and hands it only to the hasher.
    """

    pattern: MailChangePattern
    action: AccountAction | None = None
    account: str | None = None
    new_name: str | None = None
    virus_check: VirusCheck | None = None
    virus_check_consent: bool = False
    notify: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        pattern = require(
            self.pattern, MailChangePattern, field="pattern", rule="OCN-2", what="a pattern"
        )
        for field, kind in (("action", AccountAction), ("virus_check", VirusCheck)):
            value = getattr(self, field)
            if value is not None:
                require(value, kind, field=field, rule="SEC-2", what=f"a {kind.__name__} member")
        account = _optional_name(self.account, "account")
        new_name = _optional_name(self.new_name, "new_name")
        require(
            self.virus_check_consent,
            bool,
            field="virus_check_consent",
            rule="SEC-2",
            what="a bool",
        )
        check_local_parts(self.notify, field="notify")
        self._check_pattern(pattern)
        action = self.action
        if action is not None:
            why = _WHY[action]
            _present(account, wanted=action is not AccountAction.ADD, field="account", why=why)
            _present(new_name, wanted=action is not AccountAction.DELETE, field="new_name", why=why)
            if action is AccountAction.RENAME and new_name == account:
                msg = "new_name must differ from the account it renames"
                raise ValidationError(msg, field="new_name", rule="OCN-2")
        else:
            _present(account, wanted=True, field="account", why="a virus check is for one account")
            _present(new_name, wanted=False, field="new_name", why="a virus check names no account")
        wants_consent = self.virus_check is VirusCheck.USE
        if self.virus_check_consent is not wants_consent:
            msg = (
                "switching a virus check on needs consent to its terms"
                if wants_consent
                else "consent goes only with switching a virus check on"
            )
            raise ValidationError(msg, field="virus_check_consent", rule="OCN-2")

    def _check_pattern(self, pattern: MailChangePattern) -> None:
        """Refuse the fields the pattern does not use, and a missing one it does (OCN-2)."""
        wants_account = pattern is not MailChangePattern.VIRUS_CHECK_ONLY
        wants_check = pattern is not MailChangePattern.ACCOUNT_ONLY
        why = f"the pattern is {pattern.value}"
        _present(self.action, wanted=wants_account, field="action", why=why)
        _present(self.virus_check, wanted=wants_check, field="virus_check", why=why)
        if pattern is MailChangePattern.ACCOUNT_AND_VIRUS_CHECK and (
            self.action is AccountAction.DELETE
        ):
            msg = "a deleted account's virus check goes with it: apply for the deletion alone"
            raise ValidationError(msg, field="action", rule="OCN-2")

    @property
    def names_new_account(self) -> bool:
        """Return whether the application adds or renames an account (a password, a host)."""
        return self.action is AccountAction.ADD or self.action is AccountAction.RENAME


_WHY: Final = {
    AccountAction.ADD: "an addition names the new account, and no existing one",
    AccountAction.RENAME: "a rename names the account and its new name",
    AccountAction.DELETE: "a deletion names the account, and no new name",
}

_MAX_TEXT: Final = 1000


def _text(value: object, field: str) -> str:
    return check_text(value, field=field, rule="OCN-4", max_length=_MAX_TEXT)


def _left_empty(value: object) -> bool:
    """Return whether an optional field was left empty: ``None``, or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def _optional_text(value: object, field: str) -> str | None:
    return None if _left_empty(value) else _text(value, field)


# The converters of the form's fields: each names its field in its errors (SEC-2).


def _reason(value: str) -> str:
    return _text(value, "reason")


def _reason_detail(value: str) -> str:
    return _text(value, "reason_detail")


def _migration_reason(value: str) -> str:
    return _text(value, "migration_reason")


def _contact_name(value: str) -> str:
    return _text(value, "contact_name")


def _email(value: str) -> str:
    return check_email(value, field="email", rule="OCN-4")


def _email_confirmation(value: str) -> str:
    return check_email(value, field="email_confirmation", rule="OCN-4")


def _other_detail(value: str | None) -> str | None:
    return _optional_text(value, "other_detail")


def _notes(value: str | None) -> str | None:
    return _optional_text(value, "notes")


def _contact_department(value: str | None) -> str | None:
    return _optional_text(value, "contact_department")


def _phone(value: str) -> str:
    check_phone(value)
    return value.strip()


def _fax(value: str | None) -> str | None:
    if value is None or _left_empty(value):
        return None
    check_phone(value, field="contact_fax")
    return value.strip()


def _desired_date(value: date) -> date:
    return as_day(value, "desired_date")


@attrs.frozen(kw_only=True)
class CancellationRequest:
    """A cancellation (廃止) application (OCN-4).

    Required: ``desired_date`` (廃止希望日; not before the submission day, which the line
    checks when it is submitted), ``reason``, ``reason_detail``, ``migration_reason``,
    ``contact_name``, ``phone``, ``email`` and ``email_confirmation`` (the same address once
    both are trimmed). Optional (``None`` when left empty): ``other_detail`` (廃止詳細その他),
    ``notes`` (備考), ``contact_department`` (連絡先部署名) and ``contact_fax`` (連絡先FAX番号,
    checked as the phone is); blank text in one is ``None`` too. Texts are kept trimmed.
    """

    desired_date: date = attrs.field(converter=_desired_date)
    reason: str = attrs.field(converter=_reason)
    reason_detail: str = attrs.field(converter=_reason_detail)
    migration_reason: str = attrs.field(converter=_migration_reason)
    contact_name: str = attrs.field(converter=_contact_name)
    phone: str = attrs.field(converter=_phone)
    email: str = attrs.field(converter=_email)
    email_confirmation: str = attrs.field(converter=_email_confirmation)
    other_detail: str | None = attrs.field(default=None, converter=_other_detail)
    notes: str | None = attrs.field(default=None, converter=_notes)
    contact_department: str | None = attrs.field(default=None, converter=_contact_department)
    contact_fax: str | None = attrs.field(default=None, converter=_fax)

    def __attrs_post_init__(self) -> None:
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
    """An OCN line's recorded step; ``event`` names it and ``detail`` adds its data.

    SEC-2: ``event`` is a step's name (``mail_change_register``), ``detail`` empty or short
    printable text (a pattern, a date, an assigned address): anything else is refused on
    construction, so that no event the codec cannot encode is ever recorded (PORT-3). The
    two steps that send mail record the subclasses :class:`MailChangeApplied` and
    :class:`CancellationSubmitted`, which carry what their message says (OCN-5).
    """

    aggregate_type: ClassVar[str] = "ocn"

    event: str = attrs.field(validator=_event_name)
    detail: str = attrs.field(default="", validator=_detail)


def _addresses(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        msg = f"{attribute.name} must be a tuple of e-mail addresses, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="OCN-5")
    items: tuple[object, ...] = value
    for item in items:
        if check_email(item, field=attribute.name, rule="OCN-5") != item:
            msg = f"{attribute.name} holds an address with spaces around it"
            raise ValidationError(msg, field=attribute.name, rule="OCN-5")


def _optional_address(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _addresses(None, attribute, (value,))


def _fee(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if check_int(value, attribute.name) < 0:
        msg = f"{attribute.name} must not be negative"
        raise ValidationError(msg, field=attribute.name, rule="OCN-1")


def _of(kind: type, rule: str) -> Any:  # an attrs validator
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        require(value, kind, field=attribute.name, rule=rule, what=f"a {kind.__name__}")

    return check


@stored("ocn.MailChangeApplied")
@attrs.frozen(kw_only=True)
class MailChangeApplied(OcnEvent):
    """The customer applied for a mail change: its confirmation mail's content (OCN-2, OCN-5).

    ``event`` is ``mail_change_requested`` and ``detail`` the pattern, as before. The mail
    goes to ``recipients``, the addresses of the ticked accounts (none: no mail); it shows
    the ``request``, the address of the account it is about (``account_address``, ``None``
    for an addition or a host not recorded), whether that account had a virus check, and
    the monthly fee once the change is registered (OCN-1). No password, no hash.
    """

    request: MailChangeRequest = attrs.field(validator=_of(MailChangeRequest, "OCN-5"))
    recipients: tuple[str, ...] = attrs.field(default=(), validator=_addresses)
    account_address: str | None = attrs.field(default=None, validator=_optional_address)
    had_virus_check: bool = attrs.field(default=False, validator=_of(bool, "OCN-5"))
    monthly_fee: int = attrs.field(validator=_fee)
    monthly_fee_tax_included: int = attrs.field(validator=_fee)


def _contact_email(value: str) -> str:
    return check_email(value, field="contact_email", rule="OCN-5")


def _desired(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not date:
        msg = f"{attribute.name} must be a date, not {type(value).__name__}"
        raise ValidationError(msg, field=attribute.name, rule="OCN-5")


@stored("ocn.CancellationSubmitted")
@attrs.frozen(kw_only=True)
class CancellationSubmitted(OcnEvent):
    """The customer submitted the cancellation, which is its acceptance (OCN-4, OCN-5).

    ``event`` is ``cancellation_submitted`` and ``detail`` the desired date, as before. The
    受付完了 notice goes to ``contact_email`` and names ``contact_name`` and
    ``desired_date``; ``withdrew_mail_change`` says that a pending mail change was ended by
    the submission.
    """

    contact_name: str = attrs.field(converter=_contact_name)
    contact_email: str = attrs.field(converter=_contact_email)
    desired_date: date = attrs.field(validator=_desired)
    withdrew_mail_change: bool = attrs.field(default=False, validator=_of(bool, "OCN-5"))
