"""The coordinator, from the plan page, asks for the year-end report, watches the progress bar
fill (htmx polling) and downloads the finished document."""

from __future__ import annotations

import io
import threading

import pytest
from docx import Document

from kehoach.conftest import PASSWORD
from kehoach.documents import builders, services
from kehoach.documents.models import DocumentStatus, GeneratedDocument

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")


def test_coordinator_generates_and_downloads_the_year_report(
    live_server, results, cast, browser, screenshot, tmp_path, monkeypatch
):
    base = live_server.url
    plan = results.plan
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    login(page, base, "coordinator")
    page.goto(f"{base}/ke-hoach/{plan.pk}/")
    page.click("#plan-documents-link")
    page.wait_for_selector("#year-report-form")
    screenshot(page, "documents-page")

    page.select_option("#id_period", "year")
    page.fill("#id_year", "2023")
    page.click("#year-report-form summary")
    page.fill("#id_proposals", "Đề nghị UBND tỉnh tổ chức tập huấn kỹ năng truyền thông.")
    # the preview shows the same rows on screen; the report is made from there
    page.click("#preview-year-report")
    page.wait_for_selector("#report-preview")
    preview = page.inner_text("#report-preview")
    assert "I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN" in preview and "PHỤ LỤC" in preview
    assert "Đề nghị UBND tỉnh tổ chức tập huấn kỹ năng truyền thông." in preview
    screenshot(page, "documents-preview")
    page.click("#make-year-report")
    page.wait_for_selector(".job progress")
    document = GeneratedDocument.objects.get()
    assert document.status == DocumentStatus.QUEUED  # a worker will take it (recorded here)
    assert page.locator(f"#job-{document.pk}[hx-trigger]").count() == 1

    # A worker takes the job; it stops half way until the test has seen the bar move.
    go_on = threading.Event()
    real_build = builders.build

    def slow_build(document, path, step):
        step(60, "Đang trình bày văn bản")
        go_on.wait(30)
        real_build(document, path, step)

    monkeypatch.setattr(builders, "build", slow_build)
    worker = threading.Thread(target=services.document_run, kwargs={"document_id": document.pk})
    worker.start()
    try:
        page.wait_for_selector(f'#job-{document.pk} progress[value="60"]', timeout=10_000)
        screenshot(page, "documents-progress")
    finally:
        go_on.set()
        worker.join(60)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    link = page.wait_for_selector(f"#job-{document.pk} a.download", timeout=10_000)
    assert page.locator(f"#job-{document.pk}[hx-trigger]").count() == 0  # polling stopped
    screenshot(page, "documents-done")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "Báo cáo kết quả năm 2023.docx"
    path = tmp_path / "bao-cao.docx"
    download.save_as(path)
    texts = [p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs]
    assert "BÁO CÁO" in texts
    assert "Đề nghị UBND tỉnh tổ chức tập huấn kỹ năng truyền thông." in texts

    # back on the documents page the finished report is listed with its download
    page.goto(f"{base}/van-ban/ke-hoach/{plan.pk}/")
    assert page.locator("#generated a.download").count() == 1
    context.close()


def test_a_ward_officer_on_a_phone_exports_its_own_package(
    live_server, results, cast, browser, screenshot
):
    base = live_server.url
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = phone.new_page()
    login(page, base, "ward")
    page.goto(f"{base}/van-ban/ke-hoach/{results.plan.pk}/")
    assert page.locator("#par-sheet").count() == 0 and page.locator("#plan-document").count() == 0
    options = page.locator("#evidence-package select option").all_inner_texts()
    assert options == ["UBND phường An Tịnh"]
    screenshot(page, "documents-page-ward-phone")
    page.click("#make-evidence-package")
    page.wait_for_selector(".job progress")
    document = GeneratedDocument.objects.get()
    assert document.unit.code == "trang-bang-p-an-tinh"
    services.document_run(document_id=document.pk)
    page.wait_for_selector(f"#job-{document.pk} a.download", timeout=10_000)
    screenshot(page, "documents-ward-package-done")
    phone.close()
