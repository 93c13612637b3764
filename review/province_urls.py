from django.urls import path

from . import province_views as views

app_name = "province"
urlpatterns = [
    path("calls/<int:call_pk>/", views.inbox, name="inbox"),
    path("calls/<int:call_pk>/packages/<int:package_pk>/<str:fmt>/", views.package_file, name="package_file"),
    path("calls/<int:call_pk>/assignment/", views.assignment, name="assignment"),
    path("calls/<int:call_pk>/progress/", views.progress, name="progress"),
    path("applications/<int:pk>/formal-review/", views.review_formally, name="formal_review"),
    path("applications/<int:pk>/assign/", views.assign_manually, name="assign"),
    path("experts/", views.expert_pool, name="experts"),
    path("assignments/<int:pk>/reopen/", views.reopen_scores, name="reopen"),
    path("assignments/<int:pk>/remove/", views.unassign, name="unassign"),
]
