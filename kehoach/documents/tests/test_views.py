"""The documents pages through the test client: who may ask for what, progress, download."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehoach.documents import services
from kehoach.documents.models import DocumentKind, DocumentStatus, GeneratedDocument

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"documents:{name}", args=args)


@pytest.fixture
def immediate(settings):
    """Run the jobs in process, as the embedded tier does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_coordinator_makes_and_downloads_the_year_report(
    results, cast, client_for, immediate, run_on_commit
):
    client = client_for(cast["coordinator"])
    plan = results.plan
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    assert _url("plan", plan.pk).encode() in page.content
    response = client.post(
        _url("request", plan.pk, "bao-cao"),
        {"period": "q2", "year": 2023, "issue_date": "2023-07-05", "proposals": "Đề nghị A."},
    )
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("document", document.pk)
    assert document.status == DocumentStatus.DONE and document.unit is None
    assert document.params["period"] == "q2" and document.params["proposals"] == "Đề nghị A."
    page = client.get(_url("document", document.pk))
    assert _url("download", document.pk).encode() in page.content
    assert b"hx-trigger" not in page.content  # finished: no more polling
    download = client.get(_url("download", document.pk))
    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in download["Content-Disposition"]
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    from docx import Document

    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert any("quý II năm 2023" in t for t in texts)


def test_every_kind_from_the_page(results, cast, client_for, immediate, run_on_commit):
    client = client_for(cast["coordinator"])
    plan = results.plan
    for word in ("ke-hoach", "excel", "ho-so"):
        response = client.post(_url("request", plan.pk, word), {"unit": ""})
        assert response.status_code == 302, word
    kinds = dict(GeneratedDocument.objects.values_list("kind", "status"))
    assert kinds == {
        DocumentKind.PLAN: DocumentStatus.DONE,
        DocumentKind.WORKBOOK: DocumentStatus.DONE,
        DocumentKind.EVIDENCE_ZIP: DocumentStatus.DONE,
    }


def test_par_sheet_sends_the_office_to_the_explanations_first(
    results, cast, client_for, immediate, run_on_commit
):
    client = client_for(cast["coordinator"])
    plan = results.plan
    response = client.post(_url("request", plan.pk, "tu-danh-gia-par"))
    assert response["Location"] == _url("explanations", plan.pk)
    assert not GeneratedDocument.objects.exists()
    page = client.get(response["Location"])
    assert "Chưa có giải trình cho 5 nhiệm vụ" in page.content.decode()
    form = page.context["form"]
    data = {name: "Đang bổ sung tài liệu kiểm chứng." for name in form.fields}
    assert len(data) == 5
    saved = client.post(_url("explanations", plan.pk), data)
    assert saved["Location"] == _url("plan", plan.pk)
    response = client.post(_url("request", plan.pk, "tu-danh-gia-par"))
    document = GeneratedDocument.objects.get()
    assert response["Location"] == _url("document", document.pk)
    assert document.status == DocumentStatus.DONE and document.filename.endswith(".xlsx")


def test_a_unit_sees_only_its_own_scope(results, cast, client_for, org_units):
    client = client_for(cast["ward"])
    plan = results.plan
    page = client.get(_url("plan", plan.pk))
    assert page.status_code == 200
    choices = list(page.context["scope_form"].fields["unit"].queryset)
    assert choices == [org_units["trang-bang-p-an-tinh"]]
    content = page.content.decode()
    assert "tu-danh-gia-par" not in content and "ke-hoach/" + str(
        plan.pk
    ) + "/tao/ke-hoach" not in (content)
    # another unit's data: refused by the form, nothing is created
    other = org_units["trang-bang-p-gia-binh"]
    response = client.post(_url("request", plan.pk, "ho-so"), {"unit": other.pk})
    assert response.status_code == 400 and not GeneratedDocument.objects.exists()
    response = client.post(_url("request", plan.pk, "excel"), {"unit": ""})
    assert response.status_code == 400 and not GeneratedDocument.objects.exists()
    # the plan's own documents are not a unit's
    assert client.post(_url("request", plan.pk, "ke-hoach")).status_code == 404
    assert client.post(_url("request", plan.pk, "tu-danh-gia-par")).status_code == 404
    assert client.get(_url("explanations", plan.pk)).status_code == 404
    # its own package is fine
    response = client.post(
        _url("request", plan.pk, "ho-so"), {"unit": org_units["trang-bang-p-an-tinh"].pk}
    )
    assert response.status_code == 302
    assert GeneratedDocument.objects.get().unit == org_units["trang-bang-p-an-tinh"]


def test_a_unit_preview_shows_its_own_rows_only(results, cast, client_for, org_units):
    client = client_for(cast["ward"])
    plan = results.plan
    ward, other = org_units["trang-bang-p-an-tinh"], org_units["trang-bang-x-don-thuan"]
    response = client.post(
        _url("preview", plan.pk), {"unit": ward.pk, "period": "year", "year": 2023}
    )
    assert response.status_code == 200 and response.context["report"].scoped
    content = response.content.decode()
    assert "UBND phường An Tịnh" in content and "UBND xã Đôn Thuận" not in content
    response = client.post(
        _url("preview", plan.pk), {"unit": other.pk, "period": "year", "year": 2023}
    )
    assert (
        response.context["report"] is None
        and "UBND xã Đôn Thuận" not in (response.content.decode().split('id="report-preview"')[-1])
    )


def test_another_units_file_answers_404(results, cast, client_for, org_units, run_on_commit):
    plan = results.plan
    document = services.document_request(
        plan=plan,
        user=cast["ward"],
        kind=DocumentKind.EVIDENCE_ZIP,
        unit=org_units["trang-bang-p-an-tinh"],
    )
    services.document_run(document_id=document.pk)
    for role in ("stranger", "commune", "department", "finance", "nobody"):
        client = client_for(cast[role])
        for name in ("document", "status", "download"):
            assert client.get(_url(name, document.pk)).status_code == 404, (role, name)
        assert client.post(_url("retry", document.pk)).status_code == 404, role
    for role in ("ward", "coordinator", "leader", "admin"):
        response = client_for(cast[role]).get(_url("download", document.pk))
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content)[:2] == b"PK"
    # a whole-plan file is not a unit's
    whole = services.document_request(plan=plan, user=cast["coordinator"], kind=DocumentKind.PLAN)
    assert client_for(cast["ward"]).get(_url("document", whole.pk)).status_code == 404


def test_progress_partial_polls_until_done_and_failure_offers_retry(
    results, cast, client_for, run_on_commit
):
    client = client_for(cast["coordinator"])
    document = services.document_request(
        plan=results.plan, user=cast["coordinator"], kind=DocumentKind.PLAN
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RUNNING, progress=40, step="Đang trình bày văn bản kế hoạch"
    )
    partial = client.get(_url("status", document.pk), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="40"' in html
    assert "Đang trình bày văn bản kế hoạch" in html and "<html" not in html
    assert _url("download", document.pk) not in html
    assert client.get(_url("download", document.pk)).status_code == 404  # not finished

    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error="Không tạo được văn bản do lỗi hệ thống (OSError)."
    )
    html = client.get(_url("status", document.pk)).content.decode()
    assert "hx-trigger" not in html and "Không tạo được văn bản" in html
    assert _url("retry", document.pk) in html
    response = client.post(_url("retry", document.pk))
    assert response["Location"] == _url("document", document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED


def test_documents_page_query_count_does_not_grow(results, cast, client_for):
    client = client_for(cast["coordinator"])
    plan = results.plan
    for _ in range(2):
        services.document_request(plan=plan, user=cast["coordinator"], kind=DocumentKind.PLAN)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url("plan", plan.pk)).status_code == 200
    for _ in range(10):
        services.document_request(plan=plan, user=cast["coordinator"], kind=DocumentKind.PLAN)
    with CaptureQueriesContext(connection) as many:
        assert client.get(_url("plan", plan.pk)).status_code == 200
    assert len(many) == len(few) <= 30, len(few)
