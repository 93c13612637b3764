from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from applications.views.dashboards import NoPostView, home
from applications.views.packages import verify
from portal.accounts.views import unit_seal
from portal.audit.views import AuditLogView
from portal.system_views import SystemStatusView

admin.site.site_header = "众创社区申报评审平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "账户、单位与申报通知"

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("no-post/", NoPostView.as_view(), name="no_post"),
    path("dashboard/", include("applications.dashboard_urls")),
    path("applications/", include("applications.urls")),
    path("city/", include("applications.city_urls")),
    path("review/", include("review.urls")),
    path("province/", include("review.province_urls")),
    path("audit/", AuditLogView.as_view(), name="audit_log"),
    path("notifications/", include("portal.notifications.urls")),
    path("system/status/", SystemStatusView.as_view(), name="system_status"),
    path("units/<int:pk>/seal.png", unit_seal, name="unit_seal"),
    path("verify/", verify, name="verify"),
    path("publicity/", include("review.public_urls")),
    path("admin/", admin.site.urls),
]
