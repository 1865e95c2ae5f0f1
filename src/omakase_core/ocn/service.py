"""OCN's use cases over the ports: who acts, load, command, save (OCN-1 … OCN-4, SEC-1 … SEC-3).

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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from omakase_core._validation import port_validator
from omakase_core.calendar import to_jst
from omakase_core.errors import PermissionDenied
from omakase_core.lifecycle import Actor
from omakase_core.ocn.aggregate import OcnCustomer
from omakase_core.ocn.ports import OcnCustomerRepository  # attrs fields
from omakase_core.ocn.rules import check_local_parts
from omakase_core.ports import Clock  # attrs fields
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

    from omakase_core.ocn.model import CancellationRequest, MailChangeRequest

__all__ = ["OcnService"]

KIND: Final = "OCN customer"
"""What :class:`~omakase_core.errors.NotFound` calls an OCN customer."""


def _owner(customer: OcnCustomer) -> str:
    return customer.id


@attrs.frozen(kw_only=True)
class OcnService:
    """Mail changes and cancellation of OCN customers over a repository and a clock."""

    customers: OcnCustomerRepository = attrs.field(
        validator=port_validator("an OcnCustomerRepository", "get", "add", "save")
    )
    clock: Clock = attrs.field(validator=port_validator("a Clock", "now"))

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
    ) -> OcnCustomer:
        """Register an OCN customer's line with its mail accounts, the operator's (OCN-1).

        ``accounts`` are 1 to 4 local parts, the basic account first; ``virus_checks`` name
        some of them. A customer principal is refused (SEC-1). Creation has no version, so
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
        customer = OcnCustomer(
            id=identifier,
            accounts=check_local_parts(accounts, field="accounts"),
            virus_checks=check_local_parts(virus_checks, field="virus_checks"),
            updated_at=self._now(),
        )
        add_new(self.customers, customer, id=identifier, field="customer_id")
        return customer

    def apply_mail_change(
        self,
        customer_id: str,
        request: MailChangeRequest,
        *,
        by: Principal,
        expected_version: int | None = None,
    ) -> OcnCustomer:
        """Apply for a mail change, the customer's (OCN-2); refused after 廃止 accepted (OCN-4)."""
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.apply_mail_change(request, actor=actor, at=at),
        )

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
        self, customer_id: str, *, by: Principal, expected_version: int | None = None
    ) -> OcnCustomer:
        """Register the change (the operator's): new accounts and virus checks take effect."""
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.register_mail_change(actor=actor, at=at),
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
        """Submit the cancellation (廃止), the customer's; it cannot be withdrawn (OCN-4)."""
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.submit_cancellation(request, actor=actor, at=at),
        )

    def accept_cancellation(
        self, customer_id: str, *, by: Principal, expected_version: int | None = None
    ) -> OcnCustomer:
        """Accept the cancellation (the operator's): mail changes are refused from now (OCN-4)."""
        return self._run(
            customer_id,
            by,
            expected_version,
            lambda c, actor, at: c.accept_cancellation(actor=actor, at=at),
        )

    def complete_cancellation(
        self, customer_id: str, *, by: Principal, expected_version: int | None = None
    ) -> OcnCustomer:
        """Complete the cancellation (the operator's): the customer can no longer log in."""
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
