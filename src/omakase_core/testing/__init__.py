"""Test helpers shipped with the library, so callers can test *their* code against ours.

- :class:`FixedClock` — a clock set by hand (PORT-4).
- In-memory adapters of every port: :class:`InMemoryOutbox`,
  :class:`InMemoryContractRepository`, :class:`InMemoryUserDirectory`,
  :class:`RecordingNotifier` (which can simulate failures).
- The port contract suite (:class:`ContractPortsContract` and its two halves): subclass
  it with a ``make_ports`` factory to prove your own adapter behaves like ours.
- Hypothesis strategies for lifecycles: :func:`event_sequences` (needs ``hypothesis``).
"""

from omakase_core.testing._clock import FixedClock
from omakase_core.testing._memory import (
    InMemoryApplicationRepository,
    InMemoryContractRepository,
    InMemoryIdChangeRepository,
    InMemoryOutbox,
    InMemoryRepository,
    InMemoryUserDirectory,
    NotifierError,
    RecordingNotifier,
    TestPasswordHasher,
)
from omakase_core.testing._strategies import UNKNOWN_EVENT, event_sequences, steps
from omakase_core.testing._suite import (
    ContractPortsContract,
    ContractRepositoryContract,
    OutboxContract,
)

__all__ = [
    "UNKNOWN_EVENT",
    "ContractPortsContract",
    "ContractRepositoryContract",
    "FixedClock",
    "InMemoryApplicationRepository",
    "InMemoryContractRepository",
    "InMemoryIdChangeRepository",
    "InMemoryOutbox",
    "InMemoryRepository",
    "InMemoryUserDirectory",
    "NotifierError",
    "OutboxContract",
    "RecordingNotifier",
    "TestPasswordHasher",
    "event_sequences",
    "steps",
]
