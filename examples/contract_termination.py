"""An おまかせログイン contract from termination to purge, and a contractor change (CON-1 … CON-9).

Everything runs on in-memory adapters with a clock set by hand: terminate, reinstate on
day 10, terminate again, sweep on day 15 (利用終了) and day 46 (登録抹消); then, on a second
contract, a contractor change from request to the new contractor's first login. Every
notification is printed as the portal would send it.

Who acts is always said (SEC-1): the back office (an operator) opens the contracts, the
contractor (``Principal.contractor``) terminates, reinstates and hands the contract over,
the new contractor's first login is theirs, and the system runs the sweeps.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from omakase_core.calendar import JST, format_deadline, format_instant
from omakase_core.contract import (
    Contractor,
    ContractService,
    DirectoryRole,
    TerminationTimeline,
)
from omakase_core.delivery import deliver_pending
from omakase_core.errors import DeadlinePassed
from omakase_core.messages import NotificationSettings
from omakase_core.principal import Principal
from omakase_core.testing import (
    FixedClock,
    InMemoryContractRepository,
    InMemoryOutbox,
    InMemoryUserDirectory,
    RecordingNotifier,
)

STAFF = Principal.operator("staff-1")
SYSTEM = Principal.system()
SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/contractor/login",
    first_login_url="https://portal.example.jp/first-login",
)


class Portal:
    """The ports and the service, as a portal would wire them."""

    def __init__(self, now: datetime) -> None:
        self.clock = FixedClock(now)
        self.outbox = InMemoryOutbox()
        self.directory = InMemoryUserDirectory()
        self.notifier = RecordingNotifier()
        self.service = ContractService(
            contracts=InMemoryContractRepository(self.outbox),
            clock=self.clock,
            directory=self.directory,
        )

    def say(self, what: str, contract_id: str) -> None:
        """Print what happened, the contract's status, then send and print the messages."""
        contract = self.service.get(contract_id, by=STAFF)
        print(f"[{format_instant(self.clock.now())}] {what} → {contract.status.label}")
        sent = len(self.notifier.messages)
        deliver_pending(self.outbox, self.notifier, clock=self.clock, settings=SETTINGS)
        for message in self.notifier.messages[sent:]:
            print(f"    ✉ to {message.to}: {message.subject}  (key {message.key})")
            for line in message.body.splitlines():
                print(f"      {line}")


def show_timeline(timeline: TerminationTimeline) -> None:
    """Print the CON-3 instants of one termination."""
    print(f"    reinstatable until {format_deadline(timeline.reinstatable_until)}")
    print(f"    purged at          {format_deadline(timeline.purge_at)}")


def termination_story(portal: Portal) -> None:
    """Terminate, reinstate on day 10, terminate again, and let time do the rest."""
    service, clock = portal.service, portal.clock
    owner = Principal.contractor("c-1")
    service.open_contract(
        "c-1", contractor=Contractor(name="山田 太郎", email="taro@example.co.jp"), by=STAFF
    )
    contract = service.request_termination("c-1", by=owner)
    portal.say("利用終了を申請", "c-1")
    show_timeline(contract.history[-1].timeline)

    clock.advance(days=10)
    screen = service.reinstate("c-1", by=owner)  # what the contractor's screen now shows
    portal.say("day 10: 利用再開", "c-1")

    clock.advance(hours=1)
    # SEC-3: the command carries the version the screen showed; a stale one would be refused.
    contract = service.request_termination("c-1", by=owner, expected_version=screen.version)
    portal.say("利用終了をもう一度申請", "c-1")
    print(f"    termination cycles kept in the history: {len(contract.history)}")

    show_timeline(contract.history[-1].timeline)
    # Days below count from this second request, whose periods now apply.
    requested = contract.history[-1].timeline.requested_at
    clock.set(requested + timedelta(days=15))
    report = service.apply_due(clock.now(), by=SYSTEM)
    portal.say(f"day 15 sweep ({len(report.changed)} changed)", "c-1")
    try:
        service.reinstate("c-1", by=owner)
    except DeadlinePassed as refused:
        print(f"    reinstatement refused: {refused}")

    clock.set(requested + timedelta(days=46))
    report = service.apply_due(clock.now(), by=SYSTEM)
    portal.say(f"day 46 sweep ({len(report.changed)} changed)", "c-1")
    again = service.apply_due(clock.now(), by=SYSTEM)
    print(f"    a second sweep changes {len(again.changed)} contracts and sends nothing")


def contractor_change_story(portal: Portal) -> None:
    """Hand contract c-2 to a general user, who becomes its administrator (CON-7, CON-8)."""
    service = portal.service
    contractor = Principal.contractor("c-2")  # whoever holds c-2's contract-management login
    service.open_contract(
        "c-2", contractor=Contractor(name="鈴木 一郎", email="ichiro@example.co.jp"), by=STAFF
    )
    portal.directory.add_account(
        "c-2", "hanako@example.co.jp", name="佐藤 花子", role=DirectoryRole.USER
    )
    service.request_contractor_change(
        "c-2", by=contractor, name="佐藤 花子", email="hanako@example.co.jp"
    )
    portal.say("契約者変更を申請", "c-2")
    portal.clock.advance(hours=3)
    contract = service.record_first_login("c-2", by=contractor, login_email="hanako@example.co.jp")
    portal.say("新契約者が初回ログイン", "c-2")
    role = portal.directory.role_of("c-2", "hanako@example.co.jp")
    print(f"    contractor now {contract.contractor.name}; her account is {role}")


def main() -> None:
    """Run both stories."""
    portal = Portal(datetime(2026, 11, 1, 10, 0, tzinfo=JST))
    termination_story(portal)
    print()
    contractor_change_story(portal)


if __name__ == "__main__":
    main()
