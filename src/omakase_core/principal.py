"""Who acts: the :class:`Principal` every service command takes as ``by`` (SEC-1, SEC-3).

A principal is one of four kinds: a customer-side user of one customer or tenant (with a
role where the portal has roles), the contractor of one contract, an operator of the
provider's back office, or the system (time-driven sweeps). The services check what the
principal may touch before anything else:

- :func:`check_owner` — a customer-side principal acts only on aggregates of its own
  customer, a contractor only on its own contract. Anything else answers exactly as an
  absent aggregate (:class:`~omakase_core.errors.NotFound`), so ids cannot be probed (SEC-1).
- :func:`check_self` — "own" actions (own password, own setup) only on the principal's own
  account; another user's is a :class:`~omakase_core.errors.PermissionDenied` naming SEC-1.
- :func:`load_owned` — all of the above in the order every service command needs: the
  principal, the aggregate, its owner, the version the screen showed.
- :func:`check_version` — the version the user's screen showed; a stale one is a
  :class:`~omakase_core.errors.ConcurrencyConflict` and changes nothing (SEC-3).

Each check is one or two comparisons on values the service already holds, never a look-up.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Final, Protocol, TypeVar

import attrs

from omakase_core._validation import StrictEnumType
from omakase_core.errors import (
    ConcurrencyConflict,
    NotFound,
    PermissionDenied,
    ValidationError,
    excerpt,
)
from omakase_core.lifecycle import Actor

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "Principal",
    "PrincipalKind",
    "add_new",
    "check_id",
    "check_owner",
    "check_principal",
    "check_self",
    "check_version",
    "load_owned",
    "sees",
]

_MAX_ID: Final = 200
"""The longest id a principal may carry (a generous bound for any portal's ids)."""


class PrincipalKind(enum.Enum, metaclass=StrictEnumType):
    """The four kinds of principal (SEC-1)."""

    CUSTOMER = "customer"
    """A customer-side user of one customer or tenant (お客様, 管理者, ユーザ)."""
    CONTRACTOR = "contractor"
    """The contract holder (契約者) of one contract."""
    OPERATOR = "operator"
    """A member of the provider's back office (NTTデータ, KDDI staff, …)."""
    SYSTEM = "system"
    """Time itself: the sweeps that apply what is due."""


_ACTORS: Final = {
    PrincipalKind.CUSTOMER: Actor.CUSTOMER,
    PrincipalKind.CONTRACTOR: Actor.CONTRACTOR,
    PrincipalKind.OPERATOR: Actor.OPERATOR,
    PrincipalKind.SYSTEM: Actor.SYSTEM,
}


def _check_id(value: object, *, field: str) -> str:
    if not isinstance(value, str):
        msg = f"{field} must be a non-empty string id, not {type(value).__name__}"
        raise ValidationError(msg, field=field, rule="SEC-1")
    if not value.strip() or len(value) > _MAX_ID or not value.isprintable():
        msg = (
            f"{field} must be a non-empty printable id of at most {_MAX_ID} characters, "
            f"not {value[:20]!r}"
        )
        raise ValidationError(msg, field=field, rule="SEC-1")
    return value


@attrs.frozen(kw_only=True, repr=False)
class Principal:
    """Who performs a command (SEC-1). Build one with a class method, not directly.

    ``scope`` is the customer id (customer-side), the contract id (contractor), the staff id
    (operator) or ``None`` (system). ``user_id`` and ``role`` are the customer-side user and
    their role, where the portal has them. ``actor`` is the lifecycle
    :class:`~omakase_core.lifecycle.Actor` the principal's moves are checked against.
    """

    kind: PrincipalKind
    scope: str | None
    user_id: str | None = None
    role: enum.Enum | None = None
    actor: Actor = attrs.field(init=False)

    @actor.default
    def _actor(self) -> Actor:
        kind: object = self.kind  # attrs computes this default first: check the kind here
        if type(kind) is not PrincipalKind:
            msg = f"kind must be a PrincipalKind member, not {type(kind).__name__}"
            raise ValidationError(msg, field="kind", rule="SEC-2")
        return _ACTORS[self.kind]

    def __attrs_post_init__(self) -> None:
        """Refuse a principal built directly with parts its kind cannot have (SEC-1, SEC-2)."""
        if self.kind is PrincipalKind.SYSTEM:
            if self.scope is not None:
                raise ValidationError("the system has no scope", field="scope", rule="SEC-1")
        else:
            _check_id(self.scope, field="scope")
        if self.kind is not PrincipalKind.CUSTOMER and (
            self.user_id is not None or self.role is not None
        ):
            msg = f"only a customer-side principal has a user_id or a role, not a {self.kind.value}"
            raise ValidationError(msg, field="user_id", rule="SEC-1")
        if self.user_id is not None:
            _check_id(self.user_id, field="user_id")
        role: object = self.role
        if role is not None and not isinstance(role, enum.Enum):
            msg = f"role must be a role enum member or None, not {type(role).__name__}"
            raise ValidationError(msg, field="role", rule="SEC-2")

    @classmethod
    def customer(
        cls, customer_id: str, *, user_id: str | None = None, role: enum.Enum | None = None
    ) -> Principal:
        """Return a customer-side user of ``customer_id`` (a customer or a tenant).

        ``user_id`` names the user where the portal has several; ``role`` is their role where
        the portal has roles (e.g. :class:`omakase_core.accounts.Role`), an enum member —
        never a plain string or a label (SEC-2).
        """
        customer = _check_id(customer_id, field="customer_id")
        return cls(kind=PrincipalKind.CUSTOMER, scope=customer, user_id=user_id, role=role)

    @classmethod
    def contractor(cls, contract_id: str) -> Principal:
        """Return the contractor (契約者) of ``contract_id``."""
        return cls(kind=PrincipalKind.CONTRACTOR, scope=_check_id(contract_id, field="contract_id"))

    @classmethod
    def operator(cls, staff_id: str) -> Principal:
        """Return the operator ``staff_id`` of the provider's back office."""
        return cls(kind=PrincipalKind.OPERATOR, scope=_check_id(staff_id, field="staff_id"))

    @classmethod
    def system(cls) -> Principal:
        """Return the system: time-driven sweeps act as it."""
        return _SYSTEM

    @property
    def customer_id(self) -> str | None:
        """The customer or tenant of a customer-side principal; ``None`` for the others."""
        return self.scope if self.kind is PrincipalKind.CUSTOMER else None

    @property
    def contract_id(self) -> str | None:
        """The contract of a contractor principal; ``None`` for the others."""
        return self.scope if self.kind is PrincipalKind.CONTRACTOR else None

    @property
    def staff_id(self) -> str | None:
        """The staff id of an operator principal; ``None`` for the others."""
        return self.scope if self.kind is PrincipalKind.OPERATOR else None

    @property
    def is_back_office(self) -> bool:
        """Whether the principal is an operator or the system (not confined to one customer)."""
        return self.kind is PrincipalKind.OPERATOR or self.kind is PrincipalKind.SYSTEM

    def __repr__(self) -> str:
        if self.kind is PrincipalKind.SYSTEM:
            return "Principal.system()"
        if self.kind is PrincipalKind.CUSTOMER:
            extra = "" if self.user_id is None else f", user_id={self.user_id!r}"
            extra += "" if self.role is None else f", role={self.role!s}"
            return f"Principal.customer({self.scope!r}{extra})"
        return f"Principal.{self.kind.value}({self.scope!r})"


_SYSTEM: Final = Principal(kind=PrincipalKind.SYSTEM, scope=None)


def check_principal(by: object) -> Principal:
    """Return ``by`` if it is a :class:`Principal`; refuse anything else (SEC-1, SEC-2)."""
    if type(by) is not Principal:
        msg = f"by must be a Principal (Principal.customer(...), …), not {type(by).__name__}"
        raise ValidationError(msg, field="by", rule="SEC-1")
    return by


def check_owner(
    by: Principal,
    *,
    kind: str,
    id: str,  # noqa: A002  # the aggregate's id, as NotFound names it
    customer_id: str | None = None,
    contract_id: str | None = None,
) -> None:
    """Refuse, exactly as an absent aggregate, one that ``by`` may not see (SEC-1).

    Operators and the system see every aggregate. A customer-side principal sees those whose
    ``customer_id`` is its own; a contractor those whose ``contract_id`` is its own. The
    refusal is the :class:`~omakase_core.errors.NotFound` the repository raises for an
    unknown id, so nothing tells a foreign id from an absent one.
    """
    if not sees(by, customer_id=customer_id, contract_id=contract_id):
        raise NotFound(kind=_check_id(kind, field="kind"), id=_check_id(id, field="id"))


def sees(by: Principal, *, customer_id: str | None = None, contract_id: str | None = None) -> bool:
    """Return whether ``by`` may see an aggregate of ``customer_id`` / ``contract_id`` (SEC-1)."""
    kind_of = check_principal(by).kind
    for name, value in (("customer_id", customer_id), ("contract_id", contract_id)):
        if value is not None and type(value) is not str:
            _check_id(value, field=name)
    if kind_of is PrincipalKind.OPERATOR or kind_of is PrincipalKind.SYSTEM:
        return True
    if kind_of is PrincipalKind.CUSTOMER:
        return customer_id is not None and by.scope == customer_id
    return contract_id is not None and by.scope == contract_id


def check_self(by: Principal, *, user_id: str, event: str) -> None:
    """Refuse an "own" action (own password, own setup) on someone else's account (SEC-1)."""
    principal = check_principal(by)
    _check_id(user_id, field="user_id")
    _check_id(event, field="event")
    if principal.kind is not PrincipalKind.CUSTOMER or principal.user_id != user_id:
        msg = (
            f"{excerpt(event, 40)} is the account holder's own action; {principal!r} may not "
            f"do it for {excerpt(user_id, 40)}"
        )
        raise PermissionDenied(msg, actor=str(principal.actor), event=event, rule="SEC-1")


def check_version(expected_version: int | None, *, actual: int, aggregate_id: str) -> None:
    """Refuse a command based on a stale screen: ``expected_version`` is not ``actual`` (SEC-3).

    ``None`` means the caller did not say which version it saw, and nothing is checked.
    """
    if expected_version is None:
        return
    if type(expected_version) is not int or expected_version < 0:
        _bad_version(expected_version)
    if expected_version != actual:
        raise ConcurrencyConflict(
            aggregate_id=aggregate_id, expected_version=expected_version, actual_version=actual
        )


def _bad_version(value: object) -> None:
    shown = excerpt(value) if type(value) is int else type(value).__name__
    msg = f"expected_version must be a non-negative int or None, not {shown}"
    raise ValidationError(msg, field="expected_version", rule="SEC-3", problem="type")


class _Versioned(Protocol):
    @property
    def version(self) -> int: ...


A = TypeVar("A", bound=_Versioned)
A_co = TypeVar("A_co", bound=_Versioned, covariant=True)
A_contra = TypeVar("A_contra", contravariant=True)


class _Getter(Protocol[A_co]):  # the part of a repository load_owned needs
    def get(self, aggregate_id: str) -> A_co: ...


def check_id(value: object, *, field: str) -> str:
    """Return ``value`` if it can be an aggregate id (a short printable string); else refuse."""
    return _check_id(value, field=field)


def load_owned(  # noqa: PLR0913  # every part of the check is a keyword
    repository: _Getter[A],
    aggregate_id: object,
    *,
    by: object,
    kind: str,
    expected_version: int | None,
    customer_of: Callable[[A], str] | None = None,
    contract_of: Callable[[A], str] | None = None,
    field: str = "id",
) -> A:
    """Load the aggregate a command acts on, checked in the order SEC-1 and SEC-3 ask.

    ``by`` must be a :class:`Principal`; ``aggregate_id`` a string id (``field`` names the
    parameter in the error); the aggregate must exist and belong to ``by``
    (``customer_of``/``contract_of`` say whose it is, see :func:`check_owner`) — a foreign
    one is :class:`~omakase_core.errors.NotFound` like an absent one; and when
    ``expected_version`` is given it must be the stored version.

    A service reads its clock *after* this load: the instant of a command is then never
    before the change it loaded, so a lost race is a ``ConcurrencyConflict`` at save time,
    never a time-order error.
    """
    principal = by if type(by) is Principal else check_principal(by)
    get = getattr(repository, "get", None)
    if not callable(get):
        msg = f"repository must have a get method, not be a {type(repository).__name__}"
        raise ValidationError(msg, field="repository")
    if customer_of is not None and not callable(customer_of):
        raise ValidationError("customer_of must be callable or None", field="customer_of")
    if contract_of is not None and not callable(contract_of):
        raise ValidationError("contract_of must be callable or None", field="contract_of")
    if type(aggregate_id) is not str:
        _check_id(aggregate_id, field=field)  # refuses it, naming the parameter
    identifier: str = aggregate_id  # type: ignore[assignment]  # checked just above
    try:
        found: A | None = get(identifier)
    except NotFound:  # whatever kind the adapter names, absent and foreign read the same
        _check_id(identifier, field=field)  # a malformed id is refused, not "not found"
        found = None
    if found is None:
        raise NotFound(kind=kind, id=identifier)
    principal_kind = principal.kind
    if principal_kind is PrincipalKind.OPERATOR or principal_kind is PrincipalKind.SYSTEM:
        pass  # the back office sees every aggregate
    elif principal_kind is PrincipalKind.CUSTOMER and contract_of is None:
        # The common case, as sees() decides it: the aggregate's customer is the principal's.
        owner = None if customer_of is None else customer_of(found)
        if type(owner) is not str and owner is not None:
            _check_id(owner, field="customer_id")
        if owner is None or principal.scope != owner:
            raise NotFound(kind=kind, id=identifier)  # a foreign one reads as absent
    elif not sees(
        principal,
        customer_id=None if customer_of is None else customer_of(found),
        contract_id=None if contract_of is None else contract_of(found),
    ):
        raise NotFound(kind=kind, id=identifier)  # one place: absent and foreign are alike
    aggregate = found
    if expected_version is not None:
        check_version(expected_version, actual=aggregate.version, aggregate_id=identifier)
    return aggregate


class _Adder(Protocol[A_contra]):  # the part of a repository add_new needs
    def add(self, aggregate: A_contra) -> None: ...


def add_new(repository: _Adder[A], aggregate: A, *, id: str, field: str = "id") -> None:  # noqa: A002  # the aggregate's id
    """Store a new aggregate; a taken id is refused alike whoever holds it (SEC-1).

    The repository raises ``ConcurrencyConflict`` with the stored version when ``id`` is
    taken; that would tell a customer that another customer's aggregate exists, and at which
    version. The service answers instead with one :class:`~omakase_core.errors.ValidationError`
    naming ``field``, the same for the caller's own aggregates and everyone else's, whose
    words ("cannot be used; choose another …") say neither "taken" nor "exists" and give
    nothing of the stored one away. Ids are one space across customers, so some refusal is
    unavoidable; ids should be generated by the portal (``uuid4``), so that they collide
    never and cannot be guessed.
    """
    if not (
        callable(getattr(repository, "add", None)) and callable(getattr(repository, "get", None))
    ):
        msg = f"repository must be a repository (add, get), not a {type(repository).__name__}"
        raise ValidationError(msg, field="repository")
    _check_id(field, field="field")
    _check_id(id, field=field)
    if aggregate is None:
        raise ValidationError("aggregate is required", field="aggregate")
    try:
        repository.add(aggregate)
    except ConcurrencyConflict:
        msg = (
            f"{field} {excerpt(id, 40)} cannot be used; "
            f"choose another {field} (generate one, e.g. with uuid4)"
        )
        raise ValidationError(msg, field=field, rule="SEC-1", problem="in_use") from None
