"""What an inquiry's text and files may hold (INQ-1 … INQ-3).

No control or formatting character (bidi controls, zero-width characters) in a subject, a
body, a follow-up or an answer: the subject and the answer go into the INQ-3 mail. The
refusal names the parameter and never echoes the character. An attachment's file name is
a bare name (INQ-2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from omakase_core.errors import ValidationError
from omakase_core.inquiry import Attachment, InquiryStatus
from tests.inquiry.conftest import STAFF, USER, WAN

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.inquiry.conftest import Desk

INVISIBLE = {
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "left-to-right isolate": "\u2066",
    "byte-order mark": "\ufeff",
    "line separator": "\u2028",
    "line feed": "\n",
}


def _open(desk: Desk, subject: str = "件名", body: str = "本文") -> object:
    return desk.service.open(
        "inq-3", by=USER, subject=subject, body=body, contact_email="a@example.jp", service=WAN
    )


COMMANDS: dict[str, tuple[str, str, Callable[[Desk, str], object]]] = {
    "subject": ("inq-3", "subject", lambda d, x: _open(d, subject=f"a{x}b")),
    "body": ("inq-3", "body", lambda d, x: _open(d, body=f"b{x}c")),
    "answer": ("inq-1", "text", lambda d, x: d.service.answer("inq-1", f"x{x}y", by=STAFF)),
    "follow-up": (
        "inq-1",
        "text",
        lambda d, x: d.service.add_message("inq-1", f"x{x}y", by=USER),
    ),
}


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
@pytest.mark.parametrize("command", COMMANDS, ids=COMMANDS.keys())
def test_inq_1_control_and_formatting_characters_are_refused_in_every_text(
    desk: Desk, command: str, character: str
) -> None:
    inquiry_id, field, run = COMMANDS[command]
    before = desk.outbox.records()
    with pytest.raises(ValidationError) as raised:
        run(desk, character)
    error = raised.value
    assert (error.field, error.problem) == (field, "control_characters")
    assert character not in str(error)
    assert desk.outbox.records() == before
    if inquiry_id == "inq-1":
        assert desk.inquiries.get("inq-1").status is InquiryStatus.RECEIVED
    else:
        assert len(desk.inquiries) == 2  # inq-1 and inq-2 only: inq-3 was never stored


def test_inq_3_the_trial_s_answer_never_reaches_the_answer_mail(desk: Desk) -> None:
    before = desk.snapshot()
    with pytest.raises(ValidationError):
        desk.service.answer("inq-1", "x\u202ey", by=STAFF)
    assert desk.snapshot() == before


def test_inq_1_visible_text_of_any_script_is_kept_as_given(desk: Desk) -> None:
    inquiry = desk.service.open(
        "inq-3",
        by=USER,
        subject="VPN ＡＢＣ につながらない ①",
        body="عربي と 日本語",
        contact_email="a@example.jp",
        service=WAN,
    )
    assert (inquiry.subject, inquiry.messages[0][1]) == (
        "VPN ＡＢＣ につながらない ①",
        "عربي と 日本語",
    )


@pytest.mark.parametrize(
    "filename",
    [
        "../a.pdf",
        "a/b.pdf",
        "..\\a.pdf",
        "logs\\a.txt",
        "C:a.pdf",
        "c:\\a.pdf",
        "a.pdf:x.txt",
        "..",
    ],
)
def test_inq_2_an_attachment_s_file_name_is_a_bare_name(filename: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Attachment(attachment_id="att-1", filename=filename, size_bytes=10)
    assert (raised.value.field, raised.value.rule) == ("filename", "INQ-2")


@pytest.mark.parametrize("filename", ["a\u202efdp.exe.pdf", "a\u200b.pdf", " a.pdf"])
def test_inq_2_a_file_name_with_invisible_characters_or_spaces_around_is_refused(
    filename: str,
) -> None:
    with pytest.raises(ValidationError) as raised:
        Attachment(attachment_id="att-1", filename=filename, size_bytes=10)
    assert raised.value.field == "filename"
    assert "\u202e" not in str(raised.value)


@pytest.mark.parametrize("filename", ["log.txt", "障害 ログ.PNG", "a.b.csv", "v1.2_report.xlsx"])
def test_inq_2_bare_file_names_are_accepted(filename: str) -> None:
    assert Attachment(attachment_id="att-1", filename=filename, size_bytes=10).filename == filename
