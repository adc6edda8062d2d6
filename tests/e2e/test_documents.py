"""The agency documents page: accessible, uploads several files at once, downloads as attachments."""

import pytest
from playwright.sync_api import expect

from redress.documents.models import Document
from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login

pytestmark = pytest.mark.e2e


def test_upload_list_and_download(page, base_url, supervisor_a, settings):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/documents/")
    expect(page.locator("h1")).to_contain_text("Documents of")
    expect(page.locator("main")).to_contain_text("No files yet.")
    assert_accessible(page)
    assert_keyboard_navigable(page)

    page.locator("#id_files").set_input_files(
        [
            {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% test letter\n"},
            {"name": "notes résumé.txt", "mimeType": "text/plain", "buffer": b"call notes\n"},
        ]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("main")).to_contain_text("2 files uploaded.")
    expect(page.get_by_role("table")).to_contain_text("letter.pdf")
    expect(page.get_by_role("table")).to_contain_text("notes résumé.txt")
    assert Document.objects.filter(uploaded_by=supervisor_a).count() == 2
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="letter.pdf").click()
    download = info.value
    assert download.suggested_filename == "letter.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read() == b"%PDF-1.4\n% test letter\n"


def test_upload_errors_are_announced(page, base_url, supervisor_a, settings):
    settings.REDRESS_UPLOAD_MAX_BYTES = 4
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/documents/")
    page.locator("#id_files").set_input_files(
        [{"name": "too-big.txt", "mimeType": "text/plain", "buffer": b"more than four bytes"}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("File 'too-big.txt' is larger than 4 bytes.")
    assert Document.objects.count() == 0
    assert_accessible(page)
