"""OCN's use cases over the ports: who acts, load, command, save (OCN-1 … OCN-5, SEC-1 … SEC-3).

Every command and look-up takes ``by``, the :class:`~omakase_core.principal.Principal` acting,
and runs in one order: the principal, the customer id, the stored customer, its owner (a
customer principal sees only the OCN customer whose id is its own: another customer answers
exactly as an absent one, SEC-1), the version the screen showed (``expected_version``,
SEC-3); only then the clock is read and the aggregate's command runs with ``by.actor``, and
the result is saved at the version loaded. A refused command raises before anything is
written.

Decisions (the rulebook is silent):

- SEC-1: the OCN customer id is the aggregate's id and stays the commands' first parameter:
  an operator acts on any customer, a customer principal only on its own id
  (``Principal.customer("ocn-1")`` owns ``"ocn-1"``). OCN has no roles: ``by.role`` is
  not looked at.
- Creating an OCN customer (:meth:`OcnService.create_customer`) is the back office's
  registration of the line: it needs an operator principal; a customer principal is refused
  for every id, its own included, so that the accounts and the fee (OCN-1) never come from
  the customer's side. It takes no ``expected_version`` (a new customer has no version any
  screen showed); an id already taken is one ``ValidationError`` naming ``customer_id``
  (SEC-1, :func:`~omakase_core.principal.add_new`), never a ``ConcurrencyConflict`` giving
  the stored version away.
- The change application and the cancellation are the customer's forms: an operator
  principal is refused (the aggregate decides, OCN-2, OCN-4); the operator's steps are the
  charts' (OCN-3, OCN-4).
- An absent or foreign customer is ``NotFound(kind="OCN customer")`` whatever the
  repository adapter calls its aggregates, so the two cannot be told apart.
- OCN-2: the mail password of an added or renamed account and its confirmation are
  arguments of :meth:`OcnService.apply_mail_change`, never part of the application: they are
  checked (:func:`~omakase_core.ocn.rules.check_mail_password`), the password is handed to
  the :class:`~omakase_core.ports.PasswordHasher` port, and only the hash reaches the line.
  They are checked after the principal and the stored line, and before the hasher is
  called; any other application refuses a password. The hasher is a required port: a
  service that could not take an addition cannot be built.
- OCN-4: there is no acceptance step: the customer's submission is the acceptance
  (「廃止受付完了」), and the operator completes it.
- OCN-5: the confirmation mail and the 受付完了 notice are events saved with the line, sent
  by :func:`~omakase_core.delivery.deliver_pending` (:mod:`omakase_core.ocn.notices`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import port_validator
from omakase_core.calendar import to_jst
from omakase_core.errors import PermissionDenied, ValidationError
from omakase_core.lifecycle import Actor
from omakase_core.ocn.aggregate import OcnCustomer
from omakase_core.ocn.model import MailChangeRequest
from omakase_core.ocn.ports import OcnCustomerRepository  # attrs fields
from omakase_core.ocn.rules import check_host, check_local_parts, check_mail_password
from omakase_core.ports import Clock, PasswordHasher  # attrs fields
from omakase_core.principal import (
    Principal,
    add_new,
    check_id,
    check_principal,
    load_owned,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from omakase_core.ocn.model import CancellationRequest

__all__ = ["OcnService"]

KIND: Final = "OCN customer"
"""What :class:`~omakase_core.errors.NotFound` calls an OCN customer."""


def _owner(customer: OcnCustomer) -> str:
    return customer.id


def _needs_password(request: object) -> bool:
    """Return whether ``request`` adds or renames an account (a request of another kind: no)."""
    return isinstance(request, MailChangeRequest) and request.names_new_account


def _hosts(value: object, count: int) -> tuple[str | None, ...]:
    """Return one host per account from ``value``: no host (none recorded), or one each."""
    if not isinstance(value, tuple) or len(value) not in {0, count}:
        shown = f"{len(value)} hosts" if isinstance(value, tuple) else type(value).__name__
        msg = f"hosts must be a tuple of no host or one per account ({count}), not {shown}"
        raise ValidationError(msg, field="hosts", rule="OCN-2")
    items: tuple[object, ...] = value
    return tuple(check_host(item, field="hosts") for item in items) or (None,) * count


@attrs.frozen(kw_only=True)
class OcnService:
    """Mail changes and cancellation of OCN lines over a repository, a clock and a hasher."""

    customers: OcnCustomerRepository = attrs.field(
        validator=port_validator("an OcnCustomerRepository", "get", "add", "save")
    )
    clock: Clock = attrs.field(validator=port_validator("a Clock", "now"))
    hasher: PasswordHasher = attrs.field(
        validator=port_validator("a PasswordHasher", "hash", "verify")
    )

    def get(self, customer_id: str, *, by: Principal) -> OcnCustomer:
        """Return the stored customer, if ``by`` may see it (``NotFound`` otherwise, SEC-1)."""
        return self._load(customer_id, by, None)

    def create_customer(
        self,
        customer_id: str,
        *,
        by: Principal,
        accounts: tuple[str, ...],
        virus_checks: tuple[str, ...] = (),
        hosts: tuple[str, ...] = (),
    ) -> OcnCustomer:
        """Register an OCN line with its mail accounts, the operator's (OCN-1, OCN-2).

        ``accounts`` are 1 to 4 local parts, the basic account first; ``virus_checks`` name
        some of them; ``hosts`` is empty (none recorded) or the host part of each account, in
        the same order. A customer principal is refused (SEC-1). Creation has no version, so
        there is no ``expected_version``; a taken ``customer_id`` is a ``ValidationError``
        naming it that gives nothing of the stored customer away (SEC-1).
        """
        principal = check_principal(by)
        identifier = check_id(customer_id, field="customer_id")
        if principal.actor is not Actor.OPERATOR:
            msg = f"registering an OCN customer is the operator's; {principal!r} may not"
            raise PermissionDenied(
                msg, actor=str(principal.actor), event="create_customer", rule="SEC-1"
            )
        names = check_local_parts(accounts, field="accounts")
        line = OcnCustomer(  # the accounts and virus checks are checked first (OCN-1)
            id=identifier,
            accounts=names,
            virus_checks=check_local_parts(virus_checks, field="virus_checks"),
            updated_at=self._now(),
        )
        customer = attrs.evolve(line, hosts=_hosts(hosts, len(names)))
        add_new(self.customers, customer, id=identifier, field="customer_id")
        return customer

    def apply_mail_change(  # noqa: PLR0913  # the form, its password twice, who and which version
        self,
        customer_id: str,
        request: MailChangeRequest,
        *,
        by: Principal,
        password: str | None = None,
        password_confirmation: str | None = None,
        expected_version: int | None = None,
    ) -> OcnCustomer:
        """Apply for a mail change, the customer's (OCN-2); refused once 廃止 was submitted (OCN-4).

        An addition or a rename takes the new account's mail ``password`` and its
        ``password_confirmation``; the password goes to the hasher only, and the line keeps
        its hash (OCN-2). Any other application takes neither. The confirmation mail goes to
        the accounts ``request.notify`` ticks (OCN-5).
        """
        needs_password = _needs_password(request)

        def apply(customer: OcnCustomer, actor: Actor, at: datetime) -> OcnCustomer:
            customer.check_mail_change(request, actor=actor)  # before the hasher sees anything
            hashed = None
            if needs_password:
                hashed = self.hasher.hash(check_mail_password(password, password_confirmation))
            elif password is not None or password_confirmation is not None:
                field = "password" if password is not None else "password_confirmation"
                msg = f"{field} goes only with an added or renamed account (it is not shown here)"
                raise ValidationError(msg, field=field, rule="OCN-2")
            return customer.apply_mail_change(request, actor=actor, at=at, password_hash=hashed)

        return self._run(customer_id, by, expected_version, apply)

    def cancel_mail_change(
        self, customer_id: str, *, by: Principal, expected_version: int | None = None
    ) -> OcnCustomer:
        """Cancel the mail change while it is not processed, the customer's (OCN-3)."""
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.cancel_mail_change(actor=actor, at=at),
        )

    def register_mail_change(
        self,
        customer_id: str,
        *,
        by: Principal,
        host: str | None = None,
        expected_version: int | None = None,
    ) -> OcnCustomer:
        """Register the change (the operator's): the line takes the plan it leaves (OCN-2).

        ``host`` is the host part assigned to an added or renamed account, required for
        those and refused otherwise.
        """
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.register_mail_change(actor=actor, at=at, host=host),
        )

    def report_name_unavailable(
        self, customer_id: str, *, by: Principal, expected_version: int | None = None
    ) -> OcnCustomer:
        """Report that a desired name is taken (the operator's): the application fails (OCN-2)."""
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.report_name_unavailable(actor=actor, at=at),
        )

    def submit_cancellation(
        self,
        customer_id: str,
        request: CancellationRequest,
        *,
        by: Principal,
        expected_version: int | None = None,
    ) -> OcnCustomer:
        """Submit the cancellation (廃止), the customer's: accepted at once, for good (OCN-4).

        A pending mail change ends with it; the 受付完了 notice goes to the contact e-mail
        (OCN-5).
        """
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.submit_cancellation(request, actor=actor, at=at),
        )

    def complete_cancellation(
        self, customer_id: str, *, by: Principal, expected_version: int | None = None
    ) -> OcnCustomer:
        """Complete the cancellation (the operator's): the line is closed (OCN-4)."""
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.complete_cancellation(actor=actor, at=at),
        )

    def _load(self, customer_id: object, by: object, expected_version: int | None) -> OcnCustomer:
        return load_owned(
            self.customers,
            customer_id,
            by=by,
            kind=KIND,
            expected_version=expected_version,
            customer_of=_owner,
            field="customer_id",
        )

    def _run(
        self,
        customer_id: str,
        by: Principal,
        expected_version: int | None,
        command: Callable[[OcnCustomer, Actor, datetime], OcnCustomer],
    ) -> OcnCustomer:
        customer = self._load(customer_id, by, expected_version)  # checks by first (SEC-1)
        updated = command(customer, by.actor, self._now())
        self.customers.save(updated, expected_version=customer.version)
        return updated

    def _now(self) -> datetime:
        return to_jst(self.clock.now(), field="now")
