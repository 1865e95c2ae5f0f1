"""Issue 15 §3: a refusal's Japanese sentence names what it is about in Japanese.

``explain("ja")`` shows a field, the kind of thing not found and the refused action by their
Japanese labels. A name without a label would reach the portal's user raw
(「expected_version」, 「id change application」), so every name the library raises with is
checked to have one, by reading the source for the names it passes.
"""

from __future__ import annotations

import ast
import pathlib
from datetime import datetime

import pytest

import omakase_core
from omakase_core._explain import EVENT_LABELS, FIELD_LABELS, KIND_LABELS
from omakase_core.accounts.model import Action, Role
from omakase_core.accounts.rules import PERMISSIONS, require
from omakase_core.calendar import JST
from omakase_core.errors import ConcurrencyConflict, NotFound, PermissionDenied, ValidationError
from omakase_core.id_change import IdChangeService
from omakase_core.principal import Principal
from omakase_core.testing import FixedClock, InMemoryStore

SOURCE = pathlib.Path(omakase_core.__file__).parent
JAPANESE = range(0x3040, 0x9FFF + 1)


def _japanese(label: str) -> bool:
    """Return whether ``label`` is Japanese, or an acronym Japanese writes as is (ID, ASP)."""
    return any(ord(ch) in JAPANESE for ch in label) or (label.isascii() and label.isupper())


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _names() -> tuple[set[str], set[str], set[str]]:
    """Return the field names, NotFound kinds and refused events written in the source."""
    fields: set[str] = set()
    kinds: set[str] = set()
    events: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.id if isinstance(node.func, ast.Name) else None
                for keyword in node.keywords:
                    text = _text(keyword.value)
                    if text is None:
                        continue
                    if keyword.arg == "field":
                        fields.add(text)
                    elif keyword.arg == "event":
                        events.add(text)
                    elif keyword.arg == "kind" and called in {"NotFound", "Table"}:
                        kinds.add(text)
            elif isinstance(node, ast.ClassDef):  # a repository's `kind = "contract"`
                for statement in node.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and [getattr(t, "id", None) for t in statement.targets] == ["kind"]
                        and (text := _text(statement.value)) is not None
                    ):
                        kinds.add(text)
            elif (
                isinstance(node, ast.AnnAssign)  # a service's `_KIND: Final = "contract"`
                and isinstance(node.target, ast.Name)
                and node.target.id in {"KIND", "_KIND"}
                and node.value is not None
                and (text := _text(node.value)) is not None
            ):
                kinds.add(text)
    return fields, kinds, events


FIELDS, KINDS, EVENTS = _names()


def test_issue_15_the_source_scan_finds_the_names_it_is_meant_to() -> None:
    """The scan is not vacuous: it sees names from the core, domains and adapters."""
    assert {"expected_version", "application_id", "path", "batch"} <= FIELDS
    assert {"contract", "id change application", "tenant", "credential", "site"} <= KINDS
    assert {"apply_due", "create_tenant", "open"} <= EVENTS


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_issue_15_every_field_a_refusal_names_has_a_japanese_label(name: str) -> None:
    assert _japanese(FIELD_LABELS[name])


@pytest.mark.parametrize("name", sorted(KINDS))
def test_issue_15_every_kind_of_thing_not_found_has_a_japanese_label(name: str) -> None:
    assert _japanese(KIND_LABELS[name])


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_issue_15_every_refused_action_has_a_japanese_label(name: str) -> None:
    assert _japanese(EVENT_LABELS[name])


def test_sec_3_a_malformed_expected_version_is_named_in_japanese() -> None:
    error = ValidationError("expected_version must be …", field="expected_version", rule="SEC-3")
    assert "画面を表示したときの版" in error.explain("ja")
    assert "expected_version" not in error.explain("ja")


def test_sec_1_an_unknown_id_change_application_is_not_found_in_japanese() -> None:
    store = InMemoryStore()
    clock = FixedClock(datetime(2026, 5, 20, 10, 0, tzinfo=JST))
    service = IdChangeService(applications=store.id_changes, clock=clock)
    with pytest.raises(NotFound) as refused:
        service.get("nope", by=Principal.operator("staff-1"))
    said = refused.value.explain("ja")
    assert "ID数変更の申込" in said
    assert "id change application" not in said


REFUSED_TO_USERS = [action for action in Action if Role.USER not in PERMISSIONS[action]]


def test_acc_3_the_matrix_refuses_users_something() -> None:
    assert REFUSED_TO_USERS


@pytest.mark.parametrize("action", REFUSED_TO_USERS)
def test_acc_3_a_role_refusal_names_the_role_and_the_action_in_the_portal_s_words(
    action: Action,
) -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(Role.USER, action)
    said = refused.value.explain("ja")
    assert said.startswith("ACC-3")
    assert f"{Role.USER.label}には" in said
    assert f"「{action.label}」" in said
    assert action.value not in said


def test_acc_3_a_refusal_without_labels_falls_back_to_the_library_s_tables() -> None:
    error = PermissionDenied("no", actor="system", event="create_tenant", rule="SEC-1")
    said = error.explain("ja")
    assert "システムには" in said
    assert "「テナントの作成」" in said


def test_port_2_a_stale_version_is_explained_without_english() -> None:
    said = ConcurrencyConflict(aggregate_id="c-1", expected_version=1, actual_version=2).explain(
        "ja"
    )
    assert "version" not in said
