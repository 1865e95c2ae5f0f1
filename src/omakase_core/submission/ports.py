"""Ports of Connecure applications and installed sites (SUB-3(i), SUB-5, SUB-7).

:class:`ApplicationRepository` stores the applications; :class:`SiteRepository` the installed
sites, and it is where a site and an application are stored *together* when one command
changes both (a new installation completed creates its site; a 拠点名変更 started locks the
site, 承諾 renames it, closed releases it): :meth:`SiteRepository.save_with_application`
writes both compare-and-sets and both sets of events in one unit of work, or nothing.

The site repository also keeps the customer's **register of site names** (SUB-7): rows
(customer, 会社名略称, ロケーション名) → the id of the one holder of that name. Holders are a
new installation (its id, which the site it becomes keeps), a 拠点名変更 whose new name has
both parts (its reservation) and a site. ``save_with_application(..., names=...)`` replaces
the rows of each holder it names in the same unit of work as the aggregates; a name held by
a holder that is not among them refuses the whole unit of work, and nothing is written.
Checking a name is then part of writing it: of two commands that both read the name as
free, one stores it and the other is refused (SUB-7 under races).

Decisions (the rulebook is silent):

- A taken name is a :class:`~omakase_core.errors.ValidationError` with ``rule="SUB-7"``
  and ``field="names"``, not a ``ConcurrencyConflict``: reloading and retrying cannot
  succeed, the name must change. The service answers it exactly as its own read-check
  answers a taken name (``field="site_name"``). A stale version is still checked first and
  is a ``ConcurrencyConflict``.
- ``names`` may name only the site and the application of the save (anything else is a
  ``ValidationError`` naming ``names``): a save never moves another aggregate's name.
- The rows are per customer: another customer's site may have the same name (SUB-7 says
  "among the customer's sites").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, Protocol

from omakase_core.errors import ValidationError, excerpt
from omakase_core.ports import Repository
from omakase_core.submission.model import SiteName

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from omakase_core.submission.aggregate import Application, Site

__all__ = ["ApplicationRepository", "SiteRepository"]

_MAX_NAMES: Final = 100
"""The most names one holder may be given in one save (a holder holds one)."""


class ApplicationRepository(Repository["Application"], Protocol):
    """Storage of Connecure applications, new installations and changes alike (SUB-5, SUB-7)."""

    def of_customer(self, customer_id: str) -> Sequence[Application]:
        """Return every stored application of the customer, oldest first."""
        ...


class SiteRepository(Repository["Site"], Protocol):
    """Storage of installed sites, of a site with an application, and of site names.

    SUB-5 (sites and their applications in one unit of work), SUB-7 (the register of site
    names), SUB-3(i) (``due``: the sites whose scheduled fault-contact change is due).
    """

    def of_customer(self, customer_id: str) -> Sequence[Site]:
        """Return every stored site of the customer, oldest first."""
        ...

    def due(self, now: datetime) -> Sequence[Site]:
        """Return the sites whose scheduled fault-contact change is due at ``now`` (SUB-3(i)).

        Those whose :attr:`~omakase_core.submission.Site.next_due_at` is at or before
        ``now``, earliest first.
        """
        ...

    def held_names(self, customer_id: str) -> Mapping[SiteName, str]:
        """Return the customer's register of site names: each name held, and its holder's id.

        SUB-7; the order is unspecified. Only names written through
        :meth:`save_with_application` are held: data stored before the register is not
        listed (the service's own check still reads it).
        """
        ...

    def save_with_application(  # two aggregates, their versions, their names
        self,
        site: Site | None,
        *,
        site_version: int | None,
        application: Application,
        application_version: int | None,
        names: Mapping[str, Sequence[SiteName]] | None = None,
    ) -> None:
        """Store ``site`` and ``application`` in one unit of work, or neither (SUB-5, SUB-7).

        Each is a compare-and-set against the version it was loaded at (``None``: it is new
        and its id must be free; ``site`` ``None``: no site is stored), and each one's
        pending events go to the outbox with it. A stale version or a taken id is a
        ``ConcurrencyConflict`` and writes nothing.

        ``names`` maps a holder — ``site.id`` or ``application.id`` — to every name it holds
        after this save, replacing its rows in the customer's register (an empty sequence
        releases them; a holder not named keeps its rows). A name another holder holds is a
        ``ValidationError`` (``rule="SUB-7"``, ``field="names"``) and writes nothing.
        """
        ...


def checked_names(
    names: object, *, site: Site | None, application: Application
) -> dict[str, tuple[SiteName, ...]]:
    """Return ``names`` of :meth:`SiteRepository.save_with_application`, checked (SUB-7, SEC-2).

    ``None`` is no change. Otherwise a mapping from the id of the save's site or application
    to a sequence of :class:`SiteName` values (repeats dropped, order kept); a name given to
    two holders, another holder's id, or anything of another shape is a ``ValidationError``
    naming ``names``. The adapters share it, so they refuse alike.
    """
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        msg = f"names must be a mapping from a holder's id to site names, not {excerpt(names)}"
        raise ValidationError(msg, field="names", rule="SEC-2")
    holders = {application.id} if site is None else {application.id, site.id}
    checked: dict[str, tuple[SiteName, ...]] = {}
    given_to: dict[SiteName, str] = {}
    for holder, held in names.items():
        if type(holder) is not str or holder not in holders:
            msg = (
                f"names may name only the site and the application this save stores, "
                f"not {excerpt(holder)}"
            )
            raise ValidationError(msg, field="names", rule="SUB-7")
        if (
            not isinstance(held, tuple | list)
            or len(held) > _MAX_NAMES
            or not all(type(name) is SiteName for name in held)
        ):
            msg = f"names must give each holder a list of SiteName values, not {excerpt(held)}"
            raise ValidationError(msg, field="names", rule="SEC-2")
        unique = tuple(dict.fromkeys(held))
        for name in unique:
            if given_to.setdefault(name, holder) != holder:
                msg = f"names gives the site name {name} to two holders; a name has one holder"
                raise ValidationError(msg, field="names", rule="SUB-7")
        checked[holder] = unique
    return checked


def name_taken(name: SiteName) -> ValidationError:
    """Return the refusal of a save giving ``name`` to a holder while another holds it (SUB-7)."""
    msg = (
        f"the site name {name} is already held by another of the customer's sites or open "
        "applications; nothing was written"
    )
    return ValidationError(msg, field="names", rule="SUB-7")
