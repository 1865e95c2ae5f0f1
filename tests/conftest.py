"""Test-wide settings."""

from __future__ import annotations

from hypothesis import settings

# Speed is measured in benchmarks/, never asserted in tests: a slow shared machine must not
# turn a correct example into a failure, so Hypothesis runs without a per-example deadline.
settings.register_profile("omakase", deadline=None)
settings.load_profile("omakase")
