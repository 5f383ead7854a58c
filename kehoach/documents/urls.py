from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("ke-hoach/<int:plan_id>/", views.plan_documents, name="plan"),
    path("ke-hoach/<int:plan_id>/tao/<slug:kind>/", views.document_request, name="request"),
    path("ke-hoach/<int:plan_id>/xem-truoc-bao-cao/", views.report_preview, name="preview"),
    path("ke-hoach/<int:plan_id>/giai-trinh-par/", views.par_explanations, name="explanations"),
    path("<int:document_id>/", views.document_detail, name="document"),
    path("<int:document_id>/trang-thai/", views.document_status, name="status"),
    path("<int:document_id>/tai-ve/", views.document_download, name="download"),
    path("<int:document_id>/tao-lai/", views.document_retry, name="retry"),
]
