"""PORT-7: stored data decodes to exactly what was stored, or is refused.

A field missing from data of the current schema is a DecodeError naming it, for every
stored type of every domain and at every depth (never its attrs default: a 契約終了
contract without its ``status`` is not 契約中); only data of an older schema may lack a
field with a default, which a newer schema added. A key twice in one object is refused at
any depth (PostgreSQL ``json`` keeps both), never "last one wins".
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omakase_core import Actor, DecodeError
from omakase_core.codec import decode, encode, stored, to_json_data
from omakase_core.contract import Contract, Contractor
from omakase_core.errors import excerpt
from omakase_core.events import Event
from tests.test_codec import T0, stored_world

Path = tuple[str | int, ...]
"""Where a value sits in stored data: object keys and array indexes."""


def _fields(value: Any) -> list[str]:
    """Return the fields of an attrs value that the codec stores (init, not omitted)."""
    omitted = {"pending_events"}
    return [f.name for f in attrs.fields(type(value)) if f.init and f.name not in omitted]


def _attrs_fields(value: object, data: object, at: Path, shown: str) -> Iterator[tuple[Path, str]]:
    """Yield (path in the data, DecodeError field) of every attrs field stored at any depth."""
    if attrs.has(type(value)):
        assert isinstance(data, dict)
        assert set(data) == set(_fields(value)), "the codec writes every field"
        for name in _fields(value):
            step = f"{shown}.{name}" if shown else name
            yield (*at, name), step
            yield from _attrs_fields(getattr(value, name), data[name], (*at, name), step)
    elif isinstance(value, tuple):
        assert isinstance(data, list)
        for i, (item, raw) in enumerate(zip(value, data, strict=True)):
            yield from _attrs_fields(item, raw, (*at, i), f"{shown}[{i}]")
    elif isinstance(value, frozenset):
        assert isinstance(data, list)
        for item in value:  # stored in a sorted order: find each item by what it writes
            i = data.index(to_json_data(item))
            yield from _attrs_fields(item, data[i], (*at, i), f"{shown}[{i}]")
    elif isinstance(value, Mapping):
        assert isinstance(data, dict)
        for key, item in value.items():
            yield from _attrs_fields(item, data[key], (*at, key), f"{shown}[{excerpt(key, 20)}]")


def _without(envelope: dict[str, Any], path: Path) -> str:
    copy = json.loads(json.dumps(envelope))
    node = copy["data"]
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    return json.dumps(copy, ensure_ascii=False)


def test_port_7_every_field_of_every_stored_type_at_any_depth_is_required() -> None:
    aggregates, events = stored_world()
    checked: set[str] = set()
    for value in [*aggregates, *events]:
        envelope = json.loads(encode(value))
        for path, field in _attrs_fields(value, envelope["data"], (), ""):
            with pytest.raises(DecodeError, match="is missing") as raised:
                decode(_without(envelope, path), expected=type(value))
            assert (raised.value.type_name, raised.value.field) == (envelope["type"], field)
            checked.add(f"{envelope['type']}.{field}")
    assert len(checked) > 300  # every domain's aggregates, events and nested values
    assert {"contract.Contract.status", "contract.Contract.version"} <= checked
    assert "contract.Contract.history[0].reinstated_at" in checked


def _contract_data(contract: Contract) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(encode(contract))
    return data


def test_port_7_a_terminated_contract_without_its_status_is_refused_not_read_as_active() -> None:
    terminated = _terminated()
    envelope = _contract_data(terminated)
    for field in ("status", "version", "pending_change", "completed_change", "history"):
        with pytest.raises(DecodeError) as raised:
            decode(_without(envelope, (field,)), expected=Contract)
        assert raised.value.type_name == "contract.Contract"
        assert raised.value.field == field
        assert f"contract.Contract.{field} (schema 1) is missing" in str(raised.value)
    assert decode(json.dumps(envelope), expected=Contract) == terminated


def _terminated() -> Contract:
    owner = Contractor(name="山田 太郎", email="taro@example.co.jp")
    contract = Contract.open(id="c-1", contractor=owner, opened_at=T0)
    return contract.request_termination(actor=Actor.CONTRACTOR, at=T0).saved()


# -- older schemas: a field with a default that a newer schema added may be missing -----------


@stored("portal.Parcel", version=2)
@attrs.frozen(kw_only=True)
class Parcel(Event):
    """Schema 2 added ``fragile`` with a default; ``weight`` has none."""

    aggregate_type: ClassVar[str] = "parcel"
    weight: int
    fragile: bool = False


def _parcel(schema: int, **data: object) -> str:
    fields = {"aggregate_id": "p-1", "version": 1, "occurred_at": T0.isoformat(), **data}
    return json.dumps({"type": "portal.Parcel", "schema": schema, "data": fields})


def test_port_7_only_data_of_an_older_schema_may_lack_a_field_with_a_default() -> None:
    assert decode(_parcel(1, weight=3), expected=Parcel).fragile is False
    with pytest.raises(DecodeError) as current:
        decode(_parcel(2, weight=3), expected=Parcel)
    assert (current.value.field, current.value.type_name) == ("fragile", "portal.Parcel")
    with pytest.raises(DecodeError) as no_default:
        decode(_parcel(1, fragile=True), expected=Parcel)
    assert no_default.value.field == "weight"
    assert decode(_parcel(2, weight=3, fragile=True), expected=Parcel).fragile is True


def test_port_7_a_missing_field_with_an_extra_key_in_its_place_is_refused() -> None:
    envelope = _contract_data(_terminated())
    del envelope["data"]["status"]
    envelope["data"]["state"] = "active"
    with pytest.raises(DecodeError) as raised:
        decode(json.dumps(envelope), expected=Contract)
    assert raised.value.field in {"status", "state"}


# -- duplicate keys ----------------------------------------------------------------------------


def test_port_7_a_duplicate_key_is_refused_not_last_one_wins() -> None:
    text = encode(_terminated())
    assert '"id": "c-1"' in text
    evil = text.replace('"id": "c-1"', '"id": "c-1", "id": "evil"')
    with pytest.raises(DecodeError, match="'id' appears twice") as raised:
        decode(evil, expected=Contract)
    assert raised.value.type_name is None  # refused before the type is trusted


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "contract.Contract", "type": "contract.Contract", "schema": 1, "data": {}}',
        '{"type": "portal.Parcel", "schema": 2, "schema": 1, "data": {}}',
        '{"type": "x.Y", "schema": 1, "data": {"a": {"b": [{"c": 1, "c": 1}]}}}',
    ],
    ids=["envelope", "schema", "deep inside an array"],
)
def test_port_7_a_duplicate_key_is_refused_at_any_depth(text: str) -> None:
    with pytest.raises(DecodeError, match="appears twice in one object"):
        decode(text)


@given(
    st.recursive(
        st.none() | st.integers(-(2**63) + 1, 2**63 - 1) | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=8,
    ),
    st.text(min_size=1, max_size=3),
)
def test_port_7_a_key_repeated_in_any_nested_object_is_refused(inner: object, key: str) -> None:
    doubled = json.dumps({"x": inner})[:-1] + f", {json.dumps(key)}: 1, {json.dumps(key)}: 2}}"
    text = f'{{"type": "portal.Parcel", "schema": 2, "data": {{"n": [{doubled}]}}}}'
    with pytest.raises(DecodeError, match="appears twice"):
        decode(text)


@stored("portal.Sized")
@attrs.frozen(kw_only=True)
class Sized:
    """``size`` is derived when the value is built (``init=False``): never stored, never asked."""

    items: tuple[str, ...]
    size: int = attrs.field(init=False)

    @size.default
    def _size(self) -> int:
        return len(self.items)


def test_port_7_a_derived_init_false_field_is_neither_stored_nor_required() -> None:
    text = encode(Sized(items=("a", "b")))
    assert json.loads(text)["data"] == {"items": ["a", "b"]}
    assert decode(text, expected=Sized).size == 2
    with pytest.raises(DecodeError) as raised:
        decode(text.replace('"items": ["a", "b"]', '"size": 2'), expected=Sized)
    assert raised.value.field in {"items", "size"}
