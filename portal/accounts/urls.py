from django.urls import path

from . import account_views

app_name = "account"

urlpatterns = [
    path("", account_views.overview, name="overview"),
    path("password/", account_views.change_password, name="password_change"),
    path("two-factor/enrol/", account_views.enrol, name="enrol"),
    path("two-factor/verify/", account_views.verify, name="verify"),
    path("two-factor/recovery-codes/", account_views.recovery_codes, name="recovery_codes"),
    path("two-factor/remove/", account_views.remove, name="remove"),
    path("keepalive/", account_views.keepalive, name="keepalive"),
]
