"""INQ-1, SEC-2: the shipped in-memory ContractedServices port, ``InMemoryContractedServices``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from omakase_core import ValidationError
from omakase_core.testing import InMemoryContractedServices
from tests.inquiry.conftest import CONTRACTS, VPN, WAN

if TYPE_CHECKING:
    from omakase_core.inquiry import ContractedServices


def test_inq_1_the_table_answers_a_tenants_services_as_a_tuple_in_order() -> None:
    table = InMemoryContractedServices(CONTRACTS)
    assert table.services_of("tenant-1") == (WAN, "KDDI 光ダイレクト")
    assert table.services_of("tenant-2") == (VPN,)


def test_inq_1_a_customer_the_table_does_not_name_has_contracted_nothing() -> None:
    assert InMemoryContractedServices(CONTRACTS).services_of("tenant-9") == ()


def test_inq_1_the_table_lists_whom_it_was_asked_about_in_order() -> None:
    table = InMemoryContractedServices(CONTRACTS)
    table.services_of("tenant-2")
    table.services_of("tenant-1")
    assert table.asked == ["tenant-2", "tenant-1"]


def test_inq_1_names_are_stored_trimmed_as_the_service_compares_them() -> None:
    table = InMemoryContractedServices({"tenant-1": [f"  {WAN} "], "tenant-2": {VPN}})
    assert (table.services_of("tenant-1"), table.services_of("tenant-2")) == ((WAN,), (VPN,))


def test_inq_1_the_table_is_a_copy_so_changing_the_mapping_later_changes_nothing() -> None:
    given = {"tenant-1": [WAN]}
    table = InMemoryContractedServices(given)
    given["tenant-1"].append(VPN)
    given["tenant-2"] = [VPN]
    assert (table.services_of("tenant-1"), table.services_of("tenant-2")) == ((WAN,), ())


def test_inq_1_the_table_is_a_contracted_services_port() -> None:
    port: ContractedServices = InMemoryContractedServices({})
    assert port.services_of("tenant-1") == ()


@pytest.mark.parametrize(
    "services",
    [
        {"tenant-1": WAN},
        {"tenant-1": WAN.encode()},
        {"tenant-1": [WAN, 7]},
        {"tenant-1": [None]},
        {"tenant-1": [""]},
        {"tenant-1": ["x" * 101]},
        {"tenant-1": 7},
        {"tenant-1": None},
        {7: [WAN]},
        {"": [WAN]},
        [("tenant-1", [WAN])],
        "tenant-1",
        None,
    ],
    ids=[
        "a str for the names",
        "bytes for the names",
        "an int among the names",
        "None among the names",
        "an empty name",
        "a name too long",
        "an int for the names",
        "None for the names",
        "an int customer id",
        "an empty customer id",
        "pairs, not a mapping",
        "a str, not a mapping",
        "None, not a mapping",
    ],
)
def test_sec_2_a_table_that_is_not_customer_ids_to_names_is_refused_naming_services(
    services: object,
) -> None:
    with pytest.raises(ValidationError) as raised:
        InMemoryContractedServices(services)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "services"


def test_sec_2_a_customer_id_that_is_not_an_id_is_refused_naming_customer_id() -> None:
    table = InMemoryContractedServices(CONTRACTS)
    with pytest.raises(ValidationError) as raised:
        table.services_of(7)  # type: ignore[arg-type]  # the point
    assert raised.value.field == "customer_id"
    assert table.asked == []
