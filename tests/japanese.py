"""What a Japanese sentence shown to a portal's user must not contain (issue 15 §3).

``explain("ja")`` names lifecycles, statuses, actions and fields by the portal's words; a
raw identifier (``submission.application_form``, ``upload_files``), a lower-case English
word (``complete``) or a status's English name (``RECEIVED``) in it is a label missing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypeVar

import pytest

from omakase_core import InvalidTransition, OmakaseError, PermissionDenied

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

S = TypeVar("S")
"""The world a refusal is arranged in: a portal, a desk."""

IDENTIFIER = re.compile(r"[a-z]+_[a-z_]+")
"""A snake_case identifier: a lifecycle, an action or a field name shown raw."""
ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3,}")
"""A lower-case English word (``complete``, ``none``), not the tail of a name (Connecure)."""


def raw_names_in(sentence: str, status_names: Iterable[str]) -> list[str]:
    """Return the identifiers, English words and status names ``sentence`` shows raw."""
    statuses = sorted(name for name in status_names if name in sentence)
    return IDENTIFIER.findall(sentence) + ENGLISH_WORD.findall(sentence) + statuses


def missing_words(sentence: str, words: Iterable[str]) -> list[str]:
    """Return the portal's ``words`` that ``sentence`` does not use."""
    return [word for word in words if word not in sentence]


def refusal_of(
    world: S, arrange: Callable[[S], object], command: Callable[[S], object]
) -> OmakaseError:
    """Arrange ``world``, run ``command`` and return the state or permission refusal it raises."""
    arrange(world)
    with pytest.raises((InvalidTransition, PermissionDenied)) as raised:
        command(world)
    return raised.value
