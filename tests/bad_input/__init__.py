"""The generated bad-input test's harness and its tables of valid calls (issue 9 §2, SEC-2).

- :mod:`tests.bad_input.values` — the families of bad values and their verdicts;
- :mod:`tests.bad_input.spec` — a case (a valid call), how a parameter's family is chosen,
  and the check of one parameter;
- :mod:`tests.bad_input.core` — the cases of the core (one registry module per package);
- :mod:`tests.bad_input.registry` — what must be covered, the registries, what is exempt.

The test itself is ``tests/test_bad_input.py``. To add a domain, see
:mod:`tests.bad_input.registry`.
"""
