"""OCN-1, OCN-2: add, rename and delete an account, switch a virus check on or off.

The seed's own examples: the line N230110835 holds abcdefg (the basic account) and
k04xm40u; 1.2.5 renames k04xm40u to opqrstu (2 accounts stay 2: ¥250, ¥275 with tax);
1.2.4 renames it and switches its virus check on (¥450).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omakase_core import Actor, InvalidTransition, ValidationError
from omakase_core.codec import encode
from omakase_core.ocn import (
    AccountAction,
    MailChangePattern,
    MailChangeRequest,
    MailChangeStatus,
    OcnCustomer,
    VirusCheck,
    mail_monthly_fee,
)
from tests.ocn.conftest import (
    ADD_HANAKO,
    FIRST_HASH,
    HASH,
    PASSWORD,
    RENAME,
    SEED,
    SEED_CUSTOMER,
    STAFF,
    T0,
    Desk,
)

P = MailChangePattern
A = AccountAction


def request(**fields: Any) -> MailChangeRequest:
    """Return a mail-change application of the given fields."""
    return MailChangeRequest(**fields)


VIRUS_ON = request(
    pattern=P.VIRUS_CHECK_ONLY,
    account="abcdefg",
    virus_check=VirusCheck.USE,
    virus_check_consent=True,
)
RENAME_WITH_CHECK = request(
    pattern=P.ACCOUNT_AND_VIRUS_CHECK,
    action=A.RENAME,
    account="k04xm40u",
    new_name="opqrstu",
    virus_check=VirusCheck.USE,
    virus_check_consent=True,
)
"""The seed's 1.2.4: k04xm40u → opqrstu and its virus check 利用しない → 利用する."""


def registered(desk: Desk, change: MailChangeRequest, host: str | None = None) -> OcnCustomer:
    """Apply for ``change`` on the seed's line and let the operator register it."""
    desk.apply(SEED, change)
    return desk.service.register_mail_change(SEED, by=STAFF, host=host)


# -- the seed's examples (OCN-1, OCN-2) ------------------------------------------------------------


def test_ocn_2_a_rename_keeps_the_count_k04xm40u_becomes_opqrstu_at_250_yen(desk: Desk) -> None:
    line = registered(desk, RENAME, host="dune.ocn.ne.jp")
    assert line.accounts == ("abcdefg", "opqrstu")
    assert line.addresses == ("abcdefg@arrow.ocn.ne.jp", "opqrstu@dune.ocn.ne.jp")
    assert (line.monthly_fee, line.monthly_fee_tax_included) == (250, 275)
    assert line.mail_change_status is MailChangeStatus.REGISTERED


def test_ocn_2_the_seeds_rename_with_its_virus_check_switched_on_costs_450_yen(
    desk: Desk,
) -> None:
    line = registered(desk, RENAME_WITH_CHECK, host="blue.ocn.ne.jp")
    assert (line.accounts, line.virus_checks) == (("abcdefg", "opqrstu"), ("opqrstu",))
    assert (line.monthly_fee, line.monthly_fee_tax_included) == (450, 495)


def test_ocn_2_switching_a_virus_check_off_takes_200_yen_off_without_consent(desk: Desk) -> None:
    on = registered(desk, VIRUS_ON)
    off = registered(
        desk, request(pattern=P.VIRUS_CHECK_ONLY, account="abcdefg", virus_check=VirusCheck.NOT_USE)
    )
    assert (on.monthly_fee, off.monthly_fee) == (450, 250)
    assert off.virus_checks == ()


def test_ocn_2_a_rename_on_a_line_of_four_accounts_is_accepted(desk: Desk) -> None:
    desk.service.create_customer("ocn-4", by=STAFF, accounts=("a1", "a2", "a3", "a4"))
    desk.apply(
        "ocn-4", request(pattern=P.ACCOUNT_ONLY, action=A.RENAME, account="a4", new_name="z")
    )
    line = desk.service.register_mail_change("ocn-4", by=STAFF, host="dune.ocn.ne.jp")
    assert (line.accounts, line.monthly_fee) == (("a1", "a2", "a3", "z"), 450)


def test_ocn_2_a_rename_keeps_the_virus_check_of_the_account_when_only_the_account_changes(
    desk: Desk,
) -> None:
    """1.2.5: ウイルスチェックサービス 変更なし."""
    registered(
        desk,
        request(
            pattern=P.VIRUS_CHECK_ONLY,
            account="k04xm40u",
            virus_check=VirusCheck.USE,
            virus_check_consent=True,
        ),
    )
    line = registered(desk, RENAME, host="dune.ocn.ne.jp")
    assert line.virus_checks == ("opqrstu",)


def test_ocn_2_renaming_the_basic_account_keeps_it_first(desk: Desk) -> None:
    line = registered(
        desk,
        request(pattern=P.ACCOUNT_ONLY, action=A.RENAME, account="abcdefg", new_name="hijklmn"),
        host="green.ocn.ne.jp",
    )
    assert line.basic_account == "hijklmn"
    assert line.addresses[0] == "hijklmn@green.ocn.ne.jp"


def test_ocn_2_deleting_an_account_lowers_the_count_and_drops_its_virus_check(
    desk: Desk,
) -> None:
    registered(
        desk,
        request(
            pattern=P.VIRUS_CHECK_ONLY,
            account="k04xm40u",
            virus_check=VirusCheck.USE,
            virus_check_consent=True,
        ),
    )
    line = registered(desk, request(pattern=P.ACCOUNT_ONLY, action=A.DELETE, account="k04xm40u"))
    assert (line.accounts, line.hosts, line.virus_checks) == (
        ("abcdefg",),
        ("arrow.ocn.ne.jp",),
        (),
    )
    assert line.monthly_fee == 0


def test_ocn_2_adding_an_account_with_its_virus_check(desk: Desk) -> None:
    line = registered(desk, ADD_HANAKO, host="red.ocn.ne.jp")
    assert line.accounts == ("abcdefg", "k04xm40u", "hanako")
    assert line.virus_checks == ("hanako",)
    assert (line.monthly_fee, line.addresses[2]) == (550, "hanako@red.ocn.ne.jp")


# -- what the line refuses (OCN-1, OCN-2) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (request(pattern=P.ACCOUNT_ONLY, action=A.DELETE, account="abcdefg"), "account"),
        (request(pattern=P.ACCOUNT_ONLY, action=A.DELETE, account="nobody"), "account"),
        (
            request(
                pattern=P.ACCOUNT_ONLY, action=A.RENAME, account="k04xm40u", new_name="abcdefg"
            ),
            "new_name",
        ),
        (request(pattern=P.ACCOUNT_ONLY, action=A.ADD, new_name="k04xm40u"), "new_name"),
        (
            request(pattern=P.ACCOUNT_ONLY, action=A.RENAME, account="nobody", new_name="opqrstu"),
            "account",
        ),
        (
            request(pattern=P.VIRUS_CHECK_ONLY, account="abcdefg", virus_check=VirusCheck.NOT_USE),
            "virus_check",
        ),
        (request(pattern=P.ACCOUNT_ONLY, action=A.ADD, new_name="x", notify=("nobody",)), "notify"),
    ],
)
def test_ocn_2_a_change_that_does_not_fit_the_line_is_refused_and_changes_nothing(
    desk: Desk, change: MailChangeRequest, field: str
) -> None:
    before = desk.snapshot(SEED)
    with pytest.raises(ValidationError) as raised:
        desk.apply(SEED, change)
    assert (raised.value.field, raised.value.rule) == (field, "OCN-2")
    assert desk.snapshot(SEED) == before


def test_ocn_1_a_fifth_account_is_refused(desk: Desk) -> None:
    desk.service.create_customer("ocn-4", by=STAFF, accounts=("a1", "a2", "a3", "a4"))
    before = desk.snapshot("ocn-4")
    with pytest.raises(ValidationError, match="at most 4") as raised:
        desk.apply("ocn-4", request(pattern=P.ACCOUNT_ONLY, action=A.ADD, new_name="a5"))
    assert (raised.value.field, raised.value.rule) == ("new_name", "OCN-1")
    assert desk.snapshot("ocn-4") == before


def test_ocn_2_a_ticked_account_whose_address_is_not_recorded_is_refused(desk: Desk) -> None:
    """ocn-2 was registered without hosts: there is no address to send the confirmation to."""
    before = desk.snapshot("ocn-2")
    change = request(pattern=P.ACCOUNT_ONLY, action=A.ADD, new_name="saburo", notify=("jiro",))
    with pytest.raises(ValidationError, match="not recorded") as raised:
        desk.apply("ocn-2", change)
    assert raised.value.field == "notify"
    assert desk.snapshot("ocn-2") == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pattern": P.ACCOUNT_ONLY}, "action"),
        ({"pattern": P.ACCOUNT_ONLY, "action": A.ADD}, "new_name"),
        ({"pattern": P.ACCOUNT_ONLY, "action": A.ADD, "new_name": "x", "account": "y"}, "account"),
        ({"pattern": P.ACCOUNT_ONLY, "action": A.RENAME, "new_name": "x"}, "account"),
        (
            {"pattern": P.ACCOUNT_ONLY, "action": A.RENAME, "account": "x", "new_name": "x"},
            "new_name",
        ),
        (
            {"pattern": P.ACCOUNT_ONLY, "action": A.DELETE, "account": "x", "new_name": "y"},
            "new_name",
        ),
        (
            {
                "pattern": P.ACCOUNT_ONLY,
                "action": A.ADD,
                "new_name": "x",
                "virus_check": VirusCheck.USE,
            },
            "virus_check",
        ),
        (
            {
                "pattern": P.ACCOUNT_AND_VIRUS_CHECK,
                "action": A.DELETE,
                "account": "x",
                "virus_check": VirusCheck.NOT_USE,
            },
            "action",
        ),
        ({"pattern": P.ACCOUNT_AND_VIRUS_CHECK, "action": A.ADD, "new_name": "x"}, "virus_check"),
        ({"pattern": P.VIRUS_CHECK_ONLY, "virus_check": VirusCheck.NOT_USE}, "account"),
        (
            {
                "pattern": P.VIRUS_CHECK_ONLY,
                "account": "x",
                "action": A.ADD,
                "virus_check": VirusCheck.NOT_USE,
            },
            "action",
        ),
        (
            {
                "pattern": P.VIRUS_CHECK_ONLY,
                "account": "x",
                "new_name": "y",
                "virus_check": VirusCheck.NOT_USE,
            },
            "new_name",
        ),
        (
            {"pattern": P.VIRUS_CHECK_ONLY, "account": "x", "virus_check": VirusCheck.USE},
            "virus_check_consent",
        ),
        (
            {
                "pattern": P.VIRUS_CHECK_ONLY,
                "account": "x",
                "virus_check": VirusCheck.NOT_USE,
                "virus_check_consent": True,
            },
            "virus_check_consent",
        ),
        ({"pattern": P.ACCOUNT_ONLY, "action": A.ADD, "new_name": "x@ocn.ne.jp"}, "new_name"),
        (
            {"pattern": P.ACCOUNT_ONLY, "action": A.ADD, "new_name": "x", "notify": ("a", "a")},
            "notify",
        ),
        ({"pattern": P.ACCOUNT_ONLY, "action": "add", "new_name": "x"}, "action"),
        ({"pattern": P.VIRUS_CHECK_ONLY, "account": "x", "virus_check": True}, "virus_check"),
    ],
)
def test_ocn_2_exactly_one_pattern_one_account_change_and_only_their_fields(
    fields: dict[str, Any], field: str
) -> None:
    """Fields outside the chosen pattern are refused; a virus check on needs its terms' consent."""
    with pytest.raises(ValidationError) as raised:
        MailChangeRequest(**fields)
    assert raised.value.field == field
    assert raised.value.rule in {"OCN-2", "SEC-2"}


def test_ocn_2_labels_are_the_seeds_words() -> None:
    assert [action.label for action in AccountAction] == ["追加", "変更", "削除"]
    assert [choice.label for choice in VirusCheck] == ["利用する", "利用しない"]


# -- the mail password goes to the hasher only (OCN-2) -----------------------------------------


def test_ocn_2_a_new_or_renamed_accounts_password_is_handed_only_to_the_hasher(
    desk: Desk,
) -> None:
    line = desk.apply(SEED, RENAME)
    assert desk.hasher.handed == [PASSWORD]
    assert line.mail_password_hash == FIRST_HASH
    stored = desk.customers.get(SEED)
    assert stored.mail_password_hash == FIRST_HASH
    texts = [encode(stored), repr(stored), *(encode(r.event) for r in desk.outbox.records())]
    assert not [text for text in texts if PASSWORD in text]
    assert not [text for text in texts[1:] if FIRST_HASH in text]


def test_ocn_2_the_password_hash_is_dropped_once_the_application_is_processed(
    desk: Desk,
) -> None:
    desk.apply(SEED, RENAME)
    assert (
        desk.service.register_mail_change(SEED, by=STAFF, host="dune.ocn.ne.jp").mail_password_hash
        is None
    )
    desk.apply(SEED, ADD_HANAKO)
    assert desk.service.report_name_unavailable(SEED, by=STAFF).mail_password_hash is None
    desk.apply(SEED, ADD_HANAKO)
    assert desk.service.cancel_mail_change(SEED, by=SEED_CUSTOMER).mail_password_hash is None


@pytest.mark.parametrize(
    ("password", "confirmation", "field"),
    [
        (None, None, "password"),
        (PASSWORD, None, "password_confirmation"),
        (PASSWORD, PASSWORD + "x", "password_confirmation"),
        (PASSWORD, PASSWORD.upper(), "password_confirmation"),
        ("short", "short", "password"),
        ("x" * 33, "x" * 33, "password"),
        ("パスワード１２３", "パスワード１２３", "password"),
        ("pass word1", "pass word1", "password"),
        (123456, 123456, "password"),
    ],
)
def test_ocn_2_a_missing_bad_or_mismatched_mail_password_is_refused_without_echoing_it(
    desk: Desk, password: object, confirmation: object, field: str
) -> None:
    before = desk.snapshot(SEED)
    with pytest.raises(ValidationError) as raised:
        desk.service.apply_mail_change(
            SEED,
            RENAME,
            by=SEED_CUSTOMER,
            password=password,  # type: ignore[arg-type]
            password_confirmation=confirmation,  # type: ignore[arg-type]
        )
    assert (raised.value.field, raised.value.rule) == (field, "OCN-2")
    for secret in (password, confirmation):
        if isinstance(secret, str) and len(secret) > 3:
            assert secret not in str(raised.value)
    assert desk.hasher.handed == []
    assert desk.snapshot(SEED) == before


@pytest.mark.parametrize(
    "change",
    [
        VIRUS_ON,
        request(pattern=P.ACCOUNT_ONLY, action=A.DELETE, account="k04xm40u"),
    ],
)
def test_ocn_2_a_password_is_refused_where_no_account_is_added_or_renamed(
    desk: Desk, change: MailChangeRequest
) -> None:
    before = desk.snapshot(SEED)
    with pytest.raises(ValidationError) as raised:
        desk.service.apply_mail_change(
            SEED, change, by=SEED_CUSTOMER, password=PASSWORD, password_confirmation=PASSWORD
        )
    assert raised.value.field == "password"
    assert PASSWORD not in str(raised.value)
    assert desk.snapshot(SEED) == before


def test_ocn_2_the_aggregate_itself_needs_the_hash_of_an_added_account() -> None:
    line = OcnCustomer(id="ocn-9", accounts=("taro",), updated_at=T0)
    with pytest.raises(ValidationError) as raised:
        line.apply_mail_change(ADD_HANAKO, actor=Actor.CUSTOMER, at=T0)
    assert raised.value.field == "password_hash"


# -- the operator's registration (OCN-2) -------------------------------------------------------


def test_ocn_2_registration_records_the_assigned_host_and_needs_one_for_a_new_name(
    desk: Desk,
) -> None:
    desk.apply(SEED, RENAME)
    before = desk.snapshot(SEED)
    for host, field in ((None, "host"), ("DUNE", "host"), ("dune", "host")):
        with pytest.raises(ValidationError) as raised:
            desk.service.register_mail_change(SEED, by=STAFF, host=host)
        assert raised.value.field == field
    assert desk.snapshot(SEED) == before
    line = desk.service.register_mail_change(SEED, by=STAFF, host="dune.ocn.ne.jp")
    assert line.hosts == ("arrow.ocn.ne.jp", "dune.ocn.ne.jp")


def test_ocn_2_no_host_is_assigned_to_a_virus_check_or_a_deletion(desk: Desk) -> None:
    desk.apply(SEED, VIRUS_ON)
    before = desk.snapshot(SEED)
    with pytest.raises(ValidationError) as raised:
        desk.service.register_mail_change(SEED, by=STAFF, host="dune.ocn.ne.jp")
    assert raised.value.field == "host"
    assert desk.snapshot(SEED) == before


def test_ocn_2_a_desired_name_may_turn_out_unavailable_and_the_line_stays(desk: Desk) -> None:
    desk.apply(SEED, RENAME)
    line = desk.service.report_name_unavailable(SEED, by=STAFF)
    assert line.mail_change_status is MailChangeStatus.NAME_UNAVAILABLE
    assert (line.accounts, line.monthly_fee) == (("abcdefg", "k04xm40u"), 250)


def test_ocn_2_only_a_new_name_can_turn_out_unavailable(desk: Desk) -> None:
    desk.apply(SEED, VIRUS_ON)
    before = desk.snapshot(SEED)
    with pytest.raises(InvalidTransition) as raised:
        desk.service.report_name_unavailable(SEED, by=STAFF)
    assert raised.value.rule == "OCN-2"
    assert desk.snapshot(SEED) == before


# -- OCN-1: the fee is always the plan the registered changes leave -----------------------------

CHANGES = st.sampled_from(
    [
        ("add", "virus"),
        ("add", None),
        ("rename", "virus"),
        ("rename", "no virus"),
        ("rename", None),
        ("delete", None),
        (None, "virus"),
        (None, "no virus"),
    ]
)


def _change(line: OcnCustomer, kind: tuple[str | None, str | None], n: int) -> MailChangeRequest:
    """Return a change of ``kind`` on the line's last account (a new name ``n<n>``)."""
    action, check = kind
    last = line.accounts[-1]
    virus = {"virus": VirusCheck.USE, "no virus": VirusCheck.NOT_USE, None: None}[check]
    consent = virus is VirusCheck.USE
    if action is None:
        return request(
            pattern=P.VIRUS_CHECK_ONLY, account=last, virus_check=virus, virus_check_consent=consent
        )
    pattern = P.ACCOUNT_ONLY if virus is None else P.ACCOUNT_AND_VIRUS_CHECK
    return request(
        pattern=pattern,
        action=A(action),
        account=None if action == "add" else last,
        new_name=None if action == "delete" else f"n{n}",
        virus_check=virus,
        virus_check_consent=consent,
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(CHANGES, max_size=12))
def test_ocn_1_the_fee_is_always_the_plan_the_registered_changes_leave(
    kinds: list[tuple[str | None, str | None]],
) -> None:
    line = OcnCustomer(id="ocn-9", accounts=("base", "two"), updated_at=T0)
    for n, kind in enumerate(kinds):
        try:
            line = line.apply_mail_change(
                _change(line, kind, n), actor=Actor.CUSTOMER, at=T0, password_hash=HASH
            )
        except ValidationError:
            continue  # a change the line does not allow (a fifth account, the basic one)
        host = "dune.ocn.ne.jp" if kind[0] in {"add", "rename"} else None
        line = line.register_mail_change(actor=Actor.OPERATOR, at=T0, host=host)
        assert line.monthly_fee == mail_monthly_fee(
            accounts=len(line.accounts), virus_checks=len(line.virus_checks)
        )
        assert line.accounts[0] in {"base", *(f"n{i}" for i in range(n + 1))}
        assert 1 <= len(line.accounts) <= 4
        assert set(line.virus_checks) <= set(line.accounts)
