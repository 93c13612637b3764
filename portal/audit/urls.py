from django.urls import path

from .views import AuditExportView, AuditLogView

urlpatterns = [
    path("", AuditLogView.as_view(), name="audit_log"),
    path("export/<str:fmt>/", AuditExportView.as_view(), name="audit_export"),
]
