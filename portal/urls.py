from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django_ratelimit.decorators import ratelimit

from applications.views.packages import verify
from portal.accounts.views import NoPostView, home, unit_seal
from portal.audit.log import client_ip
from portal.system_views import SystemStatusView, healthz, readyz

admin.site.site_header = "众创社区申报评审平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "账户、单位与申报通知"

handler400 = "portal.error_views.bad_request"
handler403 = "portal.error_views.permission_denied"


def admin_login(request, extra_context=None):
    """The admin site signs in through the portal's login: its rate limit, lockout and second factor. Signed in
    already but not staff: a 403, audited (sending them to the login page would bounce them straight back)."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url="login")


admin.site.login = admin_login

login_view = auth_views.LoginView.as_view(redirect_authenticated_user=True)


def limited(setting, methods, view):
    """At most settings.<setting> requests (e.g. "30/m") per client address; RATELIMIT_VIEW answers 429."""

    def rate(group, request):
        return getattr(settings, setting)

    def address(group, request):
        return client_ip(request) or ""

    return ratelimit(key=address, rate=rate, method=list(methods), block=True)(view)


urlpatterns = [
    path("", home, name="home"),
    path("login/", limited("LOGIN_RATE_LIMIT", ("POST",), login_view), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("no-post/", NoPostView.as_view(), name="no_post"),
    path("dashboard/", include("review.pilots.dashboard_urls")),
    path("applications/", include("applications.urls")),
    path("city/", include("applications.city_urls")),
    path("review/", include("review.urls")),
    path("province/", include("review.province_urls")),
    path("audit/", include("portal.audit.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("system/status/", SystemStatusView.as_view(), name="system_status"),
    path("healthz/", healthz, name="healthz"),
    path("readyz/", readyz, name="readyz"),
    path("units/<int:pk>/seal.png", unit_seal, name="unit_seal"),
    path("verify/", limited("VERIFY_RATE_LIMIT", ("GET", "POST"), verify), name="verify"),
    path("account/", include("portal.accounts.urls")),
    path("publicity/", include("review.publicity_urls")),
    path("pilots/", include("review.pilots.urls")),
    path("admin/", admin.site.urls),
]
