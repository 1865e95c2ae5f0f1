"""A Connecure ベーシック new installation from creation to 承諾 (SUB-1 … SUB-14).

A user of the customer and a member of NTTデータ's back office (the operator) move the
documents on, each command made by its :class:`~omakase_core.Principal` (SEC-1) on the
version its screen showed (SEC-3); the application form is sent back once (差戻) and
resubmitted. The construction schedule is computed from the day of the application, and
at the end the first billing month and the monthly ASP fee are shown. Every status
change and every notice the customer receives is printed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from omakase_core.calendar import JST, BusinessCalendar, format_date
from omakase_core.delivery import deliver_pending
from omakase_core.errors import ValidationError
from omakase_core.messages import NotificationSettings
from omakase_core.principal import Principal
from omakase_core.submission import (
    ASP,
    ChangeMenu,
    ConstructionSchedule,
    Contact,
    DocumentKind,
    FaultContacts,
    Menu,
    NewInstallation,
    Preference,
    SiteName,
    Slot,
    Step,
    SubmissionService,
    earliest_site_survey,
    entry_request_due,
)
from omakase_core.testing import FixedClock, InMemoryStore, RecordingNotifier

C = Principal.customer("cust-1")
OP = Principal.operator("nttdata-1")
K = DocumentKind
CALENDAR = BusinessCalendar.japan()
SETTINGS = NotificationSettings(
    contractor_login_url="https://portal.example.jp/login",
    first_login_url="https://portal.example.jp/first-login",
)


class Desk:
    """The in-memory ports, the service, and a printer of what happened."""

    def __init__(self, now: datetime) -> None:
        self.clock = FixedClock(now)
        self.notifier = RecordingNotifier()
        store = InMemoryStore()
        self.outbox = store.outbox
        self.sites = store.sites
        self.service = SubmissionService(
            applications=store.applications, clock=self.clock, sites=store.sites
        )

    def step(
        self, kind: DocumentKind, event: str, by: Principal, comment: str | None = None
    ) -> None:
        """Send one event as ``by`` on the version shown; print the new status and notices."""
        shown = self.service.get("app-1", by=by)
        before = shown.document(kind).status
        after = self.service.send(
            "app-1", kind, event, by=by, comment=comment, expected_version=shown.version
        )
        status = after.document(kind).status
        print(f"  {by.actor.value:<8} {event:<16} {kind.label}: {before.label} → {status.label}")
        self.deliver()

    def deliver(self) -> None:
        """Send what the outbox holds and print the notices."""
        sent = len(self.notifier.messages)
        deliver_pending(self.outbox, self.notifier, clock=self.clock, settings=SETTINGS)
        for message in self.notifier.messages[sent:]:
            first = message.body.splitlines()[2]
            print(f"      ✉ {message.subject} → {message.to}: {first}")


def plan_schedule(today: date) -> ConstructionSchedule:
    """Pick the earliest weekday-daytime preferences SUB-10 allows, three per step."""

    def three_from(bound: date) -> tuple[Preference, ...]:
        first = CALENDAR.on_or_after(bound)
        days = [first, CALENDAR.next_business_day(first)]
        days.append(CALENDAR.next_business_day(days[-1]))
        return tuple(Preference(day=d, slot=Slot.AM) for d in days)

    survey = three_from(earliest_site_survey(today))
    line = three_from(survey[-1].day + timedelta(days=40))
    converter = three_from(line[-1].day + timedelta(days=3))
    router = three_from(converter[-1].day + timedelta(days=3))
    return ConstructionSchedule(
        weekday_daytime=True,
        site_survey=survey,
        line_work=line,
        converter=converter,
        router=router,
        calendar=CALENDAR,
    )


def print_schedule(schedule: ConstructionSchedule, today: date) -> None:
    """Print each step's preferences and the earliest day SUB-10 allows it."""
    print("construction preferences (SUB-10):")
    for step in schedule.steps:
        days = ", ".join(format_date(p.day) for p in schedule.preferences(step))
        earliest = (
            earliest_site_survey(today) if step is Step.SITE_SURVEY else schedule.earliest(step)
        )
        print(f"  {step.label:<14} from {format_date(earliest)}: {days}")


def main() -> None:
    """Run the application from creation to 承諾."""
    desk = Desk(datetime(2025, 4, 2, 10, 0, tzinfo=JST))
    service = desk.service
    application = service.create_new_installation(
        "app-1",
        by=C,
        site=SiteName(company_abbrev="NTTデータ", location="豊洲"),
        menu=Menu.BASIC,
        asps=[ASP.SDS, ASP.OPENCANVAS_BUSINESS, ASP.ZEDI],
        bandwidth_mbps=100,
        weekday_daytime=True,
        contact_email="it@example.co.jp",
    )
    print(f"new installation for {application.site} of {application.customer_id}")
    print(f"  menu: {application.menu.label}")
    print("  documents: " + ", ".join(d.kind.label for d in application.documents))

    today = date(2025, 4, 2)  # the day the schedule is set: the command's JST date
    schedule = plan_schedule(today)
    service.set_schedule("app-1", schedule, by=C)
    print_schedule(schedule, today)
    router_day = schedule.preferences(Step.ROUTER)[0].day
    due = entry_request_due(router_day, calendar=CALENDAR)
    print(f"  building entry for the router work is due by {format_date(due)} (SUB-11)")

    print("the application form (a):")
    service.upload("app-1", K.APPLICATION_FORM, "利用申込書.pdf", by=C)
    desk.step(K.APPLICATION_FORM, "submit", C)
    desk.step(K.APPLICATION_FORM, "start_review", OP)
    desk.step(
        K.APPLICATION_FORM, "send_back", OP, comment="社印が不鮮明です。再提出をお願いします。"
    )
    desk.clock.advance(days=1)
    service.upload("app-1", K.APPLICATION_FORM, "利用申込書_再提出.pdf", by=C)
    desk.step(K.APPLICATION_FORM, "submit", C)
    desk.step(K.APPLICATION_FORM, "start_review", OP)
    desk.step(K.APPLICATION_FORM, "receive", OP)

    print("the LAN parameter sheet (c):")
    desk.step(K.LAN_PARAMETERS, "publish_sheet", OP)
    service.upload("app-1", K.LAN_PARAMETERS, "パラメータシート.xlsx", by=C)
    sheet = service.get("app-1", by=C).document(K.LAN_PARAMETERS).current_file
    print(f"  stored as {sheet.name if sheet else '-'}")
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        desk.step(K.LAN_PARAMETERS, event, by)

    print("installation supplies (d) and fault contacts (e):")
    desk.step(K.INSTALLATION_SUPPLIES, "submit", C)
    desk.step(K.INSTALLATION_SUPPLIES, "accept", OP)
    contact = Contact(
        company="株式会社豊洲",
        department="情報システム部",
        name="豊洲太郎",
        phone="080-1234-5678",
        email="toyosu@example.co.jp",
    )
    service.set_fault_contacts(
        "app-1",
        K.FAULT_CONTACTS,
        FaultContacts(first=contact, reporting_hours="24時間365日"),
        by=C,
    )
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        desk.step(K.FAULT_CONTACTS, event, by)

    print("construction and acceptance:")
    desk.clock.set(datetime.combine(router_day, datetime.min.time(), JST) + timedelta(hours=15))
    service.record_construction_completed("app-1", router_day, by=OP)
    desk.step(K.APPLICATION_FORM, "accept", OP)
    done = service.get("app-1", by=C)
    if not isinstance(done, NewInstallation):
        raise TypeError(done)
    letter = done.document(K.APPLICATION_FORM).acceptance_letter_available
    print(f"  acceptance letter (利用承諾書) available: {letter}")
    print(f"  everything done: {done.progress().complete}")
    billing = done.first_billing_month
    print(f"  first billing month (SUB-12): {billing:%Y-%m}" if billing else "  not completed")
    print(f"  ASP option fee (SUB-9): ¥{done.monthly_asp_option_fee:,} per month")
    rename_the_site(desk)


def rename_the_site(desk: Desk) -> None:
    """Rename the installed site through a 拠点名変更 (SUB-5, SUB-7)."""
    service = desk.service
    site = service.get_site("app-1", by=C)
    print(f"installed site (SUB-5): {site.name} [{site.status.label}], ASPs {len(site.asps)}")
    service.start_change(
        "rename-1",
        by=C,
        site_id=site.id,
        change_menu=ChangeMenu.SITE_NAME_CHANGE,
        contact_email="it@nttdata.example.co.jp",
    )
    print(f"  拠点名変更 started: the site is {service.get_site(site.id, by=C).status.label}")
    try:
        service.start_change(
            "config-1",
            by=C,
            site_id=site.id,
            change_menu=ChangeMenu.CONFIGURATION_CHANGE,
            contact_email="it@nttdata.example.co.jp",
        )
    except ValidationError as refused:
        print(f"  another change meanwhile: refused ({refused.rule})")
    new_name = {"company_abbrev": "NTTデータ", "location": "品川"}
    service.fill_in("rename-1", K.SITE_NAME_CHANGE, new_name, by=C)
    for event, by in (("submit", C), ("start_review", OP), ("accept", OP)):
        service.send("rename-1", K.SITE_NAME_CHANGE, event, by=by)
    renamed = service.get_site(site.id, by=C)
    print(f"  承諾: the site is {renamed.name} [{renamed.status.label}]; {site.name} is free again")


if __name__ == "__main__":
    main()
