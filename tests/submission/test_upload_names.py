"""SUB-3, SEC-2: an uploaded file is stored under a bare file name, never a path.

The (c) parameter sheets always took a bare name; every other upload (the sealed forms of
(a) and (h)) took any line of text, so ``../../etc/passwd`` was stored as is. Now each
upload refuses a name with a folder part, naming ``file_name``, and changes nothing.
"""

from __future__ import annotations

import pytest

from omakase_core import ValidationError
from omakase_core.submission import DocumentKind
from tests.submission.conftest import CUSTOMER as C
from tests.submission.conftest import OPERATOR as OP
from tests.submission.conftest import Portal

K = DocumentKind
PATHS = [
    "../../etc/passwd",
    "..",
    "forms/申込書.pdf",
    "/etc/passwd",
    "C:\\Users\\taro\\申込書.pdf",
    "..\\申込書.pdf",
    "C:申込書.pdf",
    "D:",
]


@pytest.mark.parametrize("name", PATHS)
def test_sub_3_a_sealed_form_s_file_name_with_a_folder_is_refused(
    portal: Portal, name: str
) -> None:
    portal.new_installation()
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.upload("app-1", K.APPLICATION_FORM, name, by=C)
    assert raised.value.field == "file_name"
    assert "ファイル名" in raised.value.explain("ja")
    assert portal.snapshot() == before


@pytest.mark.parametrize("name", PATHS)
def test_sub_3_c_a_parameter_sheet_s_file_name_with_a_folder_is_refused(
    portal: Portal, name: str
) -> None:
    portal.new_installation()
    portal.service.send("app-1", K.LAN_PARAMETERS, "publish_sheet", by=OP)
    before = portal.snapshot()
    with pytest.raises(ValidationError) as raised:
        portal.service.upload("app-1", K.LAN_PARAMETERS, name, by=C)
    assert raised.value.field == "file_name"
    assert portal.snapshot() == before


@pytest.mark.parametrize("name", ["申込書.pdf", "申込書 (1).pdf", "form..v2.pdf", "a.b.c"])
def test_sub_3_a_bare_file_name_is_stored_as_given(portal: Portal, name: str) -> None:
    portal.new_installation()
    application = portal.service.upload("app-1", K.APPLICATION_FORM, name, by=C)
    assert [u.name for u in application.document(K.APPLICATION_FORM).uploads] == [name]
