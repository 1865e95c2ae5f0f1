"""Test helpers shipped with the library, so callers can test *their* code against ours.

- :class:`FixedClock` — a clock set by hand (PORT-4).
- In-memory adapters of every port, thread-safe: :class:`InMemoryStore` (every domain's
  repository, the user directory and one shared outbox), :class:`InMemoryOutbox`,
  :class:`InMemoryContractRepository`, :class:`InMemoryUserDirectory`, …,
  :class:`InMemoryAttachmentStore` (the inquiries' files, INQ-2),
  :class:`InMemoryContractedServices` (each tenant's contracted services, INQ-1) and
  :class:`RecordingNotifier` (which can simulate failures).
- The port contract suite :class:`StorageContract` (PORT-2, PORT-3, PORT-5): subclass it
  with a ``make_store`` factory to prove your own adapter behaves like ours, racing threads
  included; :class:`ProcessRaceContract` adds racing processes for a store with a
  ``store_factory``. :class:`ContractPortsContract` and its two halves are its
  contract-only subset, on ``make_ports``, racing threads included.
- Hypothesis strategies for lifecycles: :func:`event_sequences` (needs ``hypothesis``).
"""

from omakase_core.testing._clock import FixedClock
from omakase_core.testing._memory import (
    InMemoryApplicationRepository,
    InMemoryAttachmentStore,
    InMemoryContractedServices,
    InMemoryContractRepository,
    InMemoryIdChangeRepository,
    InMemoryInquiryRepository,
    InMemoryOutbox,
    InMemoryRepository,
    InMemorySiteRepository,
    InMemoryStore,
    InMemoryUserDirectory,
    NotifierError,
    RecordingNotifier,
    TestPasswordHasher,
)
from omakase_core.testing._store import Store
from omakase_core.testing._strategies import UNKNOWN_EVENT, event_sequences, steps
from omakase_core.testing._suite import (
    ContractPortsContract,
    ContractRepositoryContract,
    OutboxContract,
    ProcessRaceContract,
    StorageContract,
)

__all__ = [
    "UNKNOWN_EVENT",
    "ContractPortsContract",
    "ContractRepositoryContract",
    "FixedClock",
    "InMemoryApplicationRepository",
    "InMemoryAttachmentStore",
    "InMemoryContractRepository",
    "InMemoryContractedServices",
    "InMemoryIdChangeRepository",
    "InMemoryInquiryRepository",
    "InMemoryOutbox",
    "InMemoryRepository",
    "InMemorySiteRepository",
    "InMemoryStore",
    "InMemoryUserDirectory",
    "NotifierError",
    "OutboxContract",
    "ProcessRaceContract",
    "RecordingNotifier",
    "StorageContract",
    "Store",
    "TestPasswordHasher",
    "event_sequences",
    "steps",
]
