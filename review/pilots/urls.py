from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("start/", views.start_report, name="start"),
    path("overdue/", views.fail_overdue, name="fail_overdue"),
    path("reports/<int:pk>/", views.report_page, name="report"),
    path("reports/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("reports/<int:pk>/evidence/", views.upload_evidence, name="upload_evidence"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/delete/", views.delete_evidence, name="delete_evidence"),
]
