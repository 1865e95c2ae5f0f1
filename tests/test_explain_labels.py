"""Issue 15 §3: a refusal's Japanese sentence names what it is about in Japanese.

``explain("ja")`` shows a field, the kind of thing not found and the refused action by their
Japanese labels. A name without a label would reach the portal's user raw
(「expected_version」, 「id change application」), so every name the library raises with is
checked to have one, by reading the source for the names it passes.
"""

from __future__ import annotations

import ast
import importlib
import pathlib
import pkgutil
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs
import pytest

import omakase_core
import omakase_core.ocn
import omakase_core.submission
from omakase_core._explain import (
    EVENT_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    LIFECYCLE_LABELS,
    PROBLEMS,
    REASONS,
)
from omakase_core._validation import check_email, check_text
from omakase_core.accounts.model import Action, Role
from omakase_core.accounts.rules import (
    PERMISSIONS,
    require,
    validate_kana_name,
    validate_person_name,
    validate_user_phone,
)
from omakase_core.calendar import JST
from omakase_core.errors import (
    ConcurrencyConflict,
    InvalidTransition,
    NaiveDatetimeError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from omakase_core.id_change import IdChangeService
from omakase_core.lifecycle import LIFECYCLES
from omakase_core.principal import Principal
from omakase_core.submission.model import DETAIL_NAMES, REQUIRED_DETAILS, DocumentKind
from omakase_core.testing import FixedClock, InMemoryStore
from tests.contract.conftest import OWNER, STAFF, make_world

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

SOURCE = pathlib.Path(omakase_core.__file__).parent
JAPANESE = range(0x3040, 0x9FFF + 1)


def _japanese(label: str) -> bool:
    """Return whether ``label`` is Japanese, or an acronym Japanese writes as is (ID, ASP)."""
    return any(ord(ch) in JAPANESE for ch in label) or (label.isascii() and label.isupper())


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _names() -> tuple[set[str], set[str], set[str], set[str]]:
    """Return the field names, NotFound kinds, refused events and problems in the source."""
    named: dict[str | None, set[str]] = {"field": set(), "event": set(), "problem": set()}
    kinds: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.id if isinstance(node.func, ast.Name) else None
                for keyword in node.keywords:
                    text = _text(keyword.value)
                    if text is not None and keyword.arg in named:
                        named[keyword.arg].add(text)
                    elif text is not None and keyword.arg == "kind" and called in _KINDS_OF:
                        kinds.add(text)
            elif isinstance(node, ast.ClassDef):  # a repository's `kind = "contract"`
                kinds.update(_class_kinds(node))
            elif (
                isinstance(node, ast.AnnAssign)  # a service's `_KIND: Final = "contract"`
                and isinstance(node.target, ast.Name)
                and node.target.id in {"KIND", "_KIND"}
                and node.value is not None
                and (text := _text(node.value)) is not None
            ):
                kinds.add(text)
    return named["field"], kinds, named["event"], named["problem"]


_KINDS_OF = frozenset({"NotFound", "Table"})


def _class_kinds(node: ast.ClassDef) -> set[str]:
    """Return the ``kind = "…"`` a class body sets (a repository's kind of record)."""
    return {
        text
        for statement in node.body
        if isinstance(statement, ast.Assign)
        and [getattr(target, "id", None) for target in statement.targets] == ["kind"]
        and (text := _text(statement.value)) is not None
    }


FIELDS, KINDS, EVENTS, PROBLEM_NAMES = _names()


def test_issue_15_the_source_scan_finds_the_names_it_is_meant_to() -> None:
    """The scan is not vacuous: it sees names from the core, domains and adapters."""
    assert {"expected_version", "application_id", "path", "batch"} <= FIELDS
    assert {"contract", "id change application", "tenant", "credential", "site"} <= KINDS
    assert {"apply_due", "create_tenant", "open"} <= EVENTS
    assert {"required", "too_long", "email", "in_use"} <= PROBLEM_NAMES


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


@pytest.mark.parametrize("problem", sorted(PROBLEM_NAMES))
def test_issue_15_every_problem_a_check_names_has_a_japanese_sentence(problem: str) -> None:
    sentence = PROBLEMS[problem].format(field="名前", limit=10)
    assert _japanese(sentence)
    assert "「名前」" in sentence


def _refusal(check: Callable[[], object]) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        check()
    return raised.value


@pytest.mark.parametrize(
    ("check", "said"),
    [
        (
            lambda: check_text("  ", field="name", rule="SEC-2", max_length=5),
            "「名前」を入力してください",
        ),
        (
            lambda: check_text("abcdef", field="name", rule="SEC-2", max_length=5),
            "「名前」は5文字以内で入力してください",
        ),
        (
            lambda: check_text("a\nb", field="subject", rule="INQ-1", max_length=50),
            "「件名」に改行などの使えない文字",
        ),
        (
            lambda: check_text(7, field="name", rule="SEC-2", max_length=5),
            "値の種類が正しくありません",
        ),
        (
            lambda: check_email("hanako@", field="email", rule="CON-7"),
            "「メールアドレス」はメールアドレスの形式",
        ),
    ],
)
def test_sec_2_a_refused_value_says_why_in_japanese(check: Callable[[], object], said: str) -> None:
    error = _refusal(check)
    assert said in error.explain("ja")
    assert error.explain("ja").startswith(error.rule or "")


@pytest.mark.parametrize(
    ("check", "said"),
    [
        (
            lambda: validate_person_name("山田太郎山田太郎山田太郎"),
            "全角10文字以内、または半角英字30文字",
        ),
        (lambda: validate_person_name("山田Taro"), "全角と半角は混ぜられません"),
        (lambda: validate_kana_name("やまだ"), "全角カタカナ20文字以内"),
        (lambda: validate_user_phone("03-1234"), "15桁以内の半角数字"),
    ],
)
def test_acc_8_a_refused_user_field_says_the_form_s_condition(
    check: Callable[[], object], said: str
) -> None:
    error = _refusal(check)
    assert error.rule == "ACC-8"
    assert said in error.explain("ja")


def test_con_7_the_current_contractor_s_address_is_refused_as_the_same_value() -> None:
    world = make_world()
    world.service.open_contract("c-9", contractor=OWNER, by=STAFF)
    error = _refusal(
        lambda: world.service.request_contractor_change(
            "c-9", by=Principal.contractor("c-9"), name="山田 太郎", email=OWNER.email
        )
    )
    assert error.explain("ja") == (
        "CON-7（契約者変更）: 「メールアドレス」が現在と同じです。別の値を入力してください。"
    )


def test_sec_1_an_id_in_use_says_so_without_confirming_whose() -> None:
    world = make_world()
    world.service.open_contract("c-9", contractor=OWNER, by=STAFF)
    error = _refusal(lambda: world.service.open_contract("c-9", contractor=OWNER, by=STAFF))
    assert error.explain("ja") == (
        "SEC-1（本人とその所有物）: この「契約ID」は使用できません。別の値を指定してください。"
    )


@pytest.mark.parametrize(
    ("problem", "limit"), [("too_long", None), ("no such problem", None), (None, 3), (7, None)]
)
def test_sec_2_a_problem_it_cannot_say_falls_back_to_naming_the_field(
    problem: Any, limit: Any
) -> None:
    error = ValidationError("bad", field="name", rule="SEC-2", problem=problem, limit=limit)
    assert error.explain("ja") == (
        "SEC-2（不正な値の拒否）: 「名前」の値を受け付けられません。"
        "入力内容を確認して、もう一度お試しください。"
    )


# -- names a refusal passes through variables: the source scan cannot see them ----------------


def _registered_lifecycles() -> list[str]:
    return sorted(LIFECYCLES)


def test_issue_15_the_registry_holds_every_domain_s_lifecycles() -> None:
    assert {"contract", "submission.application_form", "submission.site", "ocn.cancellation"} <= (
        set(_registered_lifecycles())
    )


@pytest.mark.parametrize("name", [*_registered_lifecycles(), "submission.application"])
def test_issue_15_every_lifecycle_has_a_japanese_label(name: str) -> None:
    assert _japanese(LIFECYCLE_LABELS[name])


def test_sub_5_the_site_lifecycle_is_the_site_not_the_application() -> None:
    assert LIFECYCLE_LABELS["submission.site"] == "拠点"


@pytest.mark.parametrize(
    "kind", [kind for kind in DocumentKind if kind.lifecycle.name == f"submission.{kind.value}"]
)
def test_sub_3_a_document_s_own_lifecycle_is_called_by_the_document_s_name(
    kind: DocumentKind,
) -> None:
    assert LIFECYCLE_LABELS[kind.lifecycle.name] == kind.label


def _attrs_field_names(*packages: ModuleType) -> set[str]:
    """Return the attribute names of every attrs class defined in ``packages``' modules.

    Their validators and converters refuse a value with ``field=attribute.name`` (or the
    name written out), which the scan of ``field="…"`` literals does not see.
    """
    names: set[str] = set()
    for package in packages:
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and attrs.has(value)
                    and value.__module__ == module.__name__
                ):
                    names.update(field.name.lstrip("_") for field in attrs.fields(value))
    return names


DOMAIN_ATTRIBUTES = _attrs_field_names(omakase_core.submission, omakase_core.ocn)
DETAIL_KEYS = {
    name for table in (REQUIRED_DETAILS, DETAIL_NAMES) for names in table.values() for name in names
}


def test_issue_15_the_attribute_and_detail_scans_find_what_they_are_meant_to() -> None:
    assert {"menu", "company_abbrev", "slot", "notes", "contact_name", "deadline"} <= (
        DOMAIN_ATTRIBUTES
    )
    assert {"postal_code", "company_name", "payment_method", "change_details"} <= DETAIL_KEYS


@pytest.mark.parametrize("name", sorted(DOMAIN_ATTRIBUTES))
def test_issue_15_every_attribute_of_a_connecure_or_ocn_value_has_a_japanese_label(
    name: str,
) -> None:
    assert _japanese(FIELD_LABELS[name])


@pytest.mark.parametrize("name", sorted(DETAIL_KEYS))
def test_sub_3_every_detail_a_document_takes_has_a_japanese_label(name: str) -> None:
    assert _japanese(FIELD_LABELS[name])


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("reporting_hours", "故障申告時間帯"),
        ("deadline", "提出締切日"),
        ("company_abbrev", "会社名略称"),
        ("location", "ロケーション名"),
        ("notes", "備考"),
        ("note", "備考"),
    ],
)
def test_issue_15_a_field_is_called_by_the_seed_s_word(field: str, label: str) -> None:
    assert FIELD_LABELS[field] == label


def test_cal_1_a_naive_deadline_is_named_in_japanese() -> None:
    said = NaiveDatetimeError(field="deadline").explain("ja")
    assert "「提出締切日」" in said
    assert "deadline" not in said


_EVENT_HELPERS = frozenset(
    {
        "_customer",
        "_check_customer",
        "_check_open",
        "_check_not_closed",
        "_check_not_accepted",
        "_check_editable",
        "_fire_mail",
        "_creator",
    }
)
"""The domain helpers that pass an action id on to the refusal they raise."""


def _helper_events() -> set[str]:
    """Return the action ids the source hands to :data:`_EVENT_HELPERS` as literals.

    ``_customer`` takes its action in words and raises with them joined by ``_``.
    """
    found: set[str] = set()
    for path in (SOURCE / "submission", SOURCE / "ocn"):
        for module in path.rglob("*.py"):
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name in _EVENT_HELPERS:  # `_customer` makes "upload files" "upload_files"
                    found.update(
                        text.replace(" ", "_")
                        for arg in node.args
                        if (text := _text(arg)) is not None
                    )
    return found


HELPER_EVENTS = _helper_events()


def test_issue_15_the_helper_scan_finds_the_actions_it_is_meant_to() -> None:
    assert {"upload_files", "register_mail_change", "create_new_installation"} <= HELPER_EVENTS


@pytest.mark.parametrize("name", sorted(HELPER_EVENTS))
def test_issue_15_every_action_a_domain_helper_refuses_has_a_japanese_label(name: str) -> None:
    assert _japanese(EVENT_LABELS[name])


def _transition_reasons() -> set[str]:
    """Return the ``reason="…"`` every ``InvalidTransition(…)`` of the source gives."""
    return {
        text
        for path in SOURCE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "InvalidTransition"
        for keyword in node.keywords
        if keyword.arg == "reason" and (text := _text(keyword.value)) is not None
    }


TRANSITION_REASONS = _transition_reasons()


def test_issue_15_the_reason_scan_finds_the_reasons_it_is_meant_to() -> None:
    assert {"after_construction", "through_sales", "cancellation_submitted"} <= TRANSITION_REASONS


@pytest.mark.parametrize("reason", sorted(TRANSITION_REASONS))
def test_issue_15_every_reason_a_guard_gives_has_a_japanese_sentence(reason: str) -> None:
    assert _japanese(REASONS[reason])


@pytest.mark.parametrize("reason", [None, "no such reason", 7])
def test_issue_15_a_transition_without_a_known_reason_asks_to_reload(reason: Any) -> None:
    error = InvalidTransition(
        "no", state="RECEIVED", event="accept", lifecycle="contract", rule="CON-1", reason=reason
    )
    assert error.explain("ja").endswith("画面を再読み込みして、現在の状態を確認してください。")


def test_issue_15_a_known_reason_replaces_the_advice_to_reload() -> None:
    error = InvalidTransition(
        "no",
        state="ACCEPTED",
        event="submit",
        lifecycle="submission.lan_parameters",
        rule="SUB-3",
        state_label="承諾",
        reason="through_sales",
    )
    assert error.explain("ja") == (
        "SUB-3（申込の流れ）: お客様LAN側のパラメータ情報が「承諾」の状態では、操作「提出」は"
        "できません。" + REASONS["through_sales"]
    )
