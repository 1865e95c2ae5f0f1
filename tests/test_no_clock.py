"""PORT-4: no code in the library reads the system clock; time comes from a Clock port.

The one exception is :class:`omakase_core.SystemClock`, the production clock: its module
reads the clock exactly once, and no other module may.
"""

from __future__ import annotations

import ast
import pathlib
import sys

import pytest

SRC = pathlib.Path(__file__).parent.parent / "src" / "omakase_core"
FORBIDDEN = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("pendulum", "now"),
    ("pendulum", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}
ALLOWED = {pathlib.Path("clock.py"): ["datetime.now()"]}
"""The clock reads each module may make: SystemClock's module reads it once."""


def clock_reads(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.lineno} {node.func.value.id}.{node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and (node.func.value.id, node.func.attr) in FORBIDDEN
    ]


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_port_4_no_module_but_system_clocks_reads_the_system_clock(path: pathlib.Path) -> None:
    reads = [read.partition(" ")[2] for read in clock_reads(path)]
    assert reads == ALLOWED.get(path.relative_to(SRC), [])


def test_port_4_the_allowed_module_is_system_clocks_and_it_reads_the_clock() -> None:
    from omakase_core import SystemClock  # noqa: PLC0415

    module = pathlib.Path(sys.modules[SystemClock.__module__].__file__ or "")
    assert [module.relative_to(SRC)] == list(ALLOWED)
    assert [read.partition(" ")[2] for read in clock_reads(module)] == ["datetime.now()"]


def test_port_4_the_check_does_see_a_clock_read(tmp_path: pathlib.Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime\nx = datetime.now()\ny = clock.now()\n", encoding="utf-8")
    assert clock_reads(sample) == ["sample.py:2 datetime.now()"]
