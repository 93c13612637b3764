from django.urls import path

from . import board_views, export_views, forwarding_views, publicity_views
from . import province_views as views

app_name = "province"
urlpatterns = [
    path("calls/<int:call_pk>/", views.inbox, name="inbox"),
    path("calls/<int:call_pk>/packages/<int:package_pk>/<str:fmt>/", views.package_file, name="package_file"),
    path("calls/<int:call_pk>/assignment/", views.assignment, name="assignment"),
    path("calls/<int:call_pk>/progress/", views.progress, name="progress"),
    path("calls/<int:call_pk>/ranking/", board_views.ranking_board, name="ranking"),
    path("calls/<int:call_pk>/decisions/", board_views.decide_selected, name="decide"),
    path("calls/<int:call_pk>/publicity/", board_views.open_publicity, name="open_publicity"),
    path("calls/<int:call_pk>/forwarding/", forwarding_views.forwarding, name="forwarding"),
    path("calls/<int:call_pk>/exports/", export_views.exports, name="exports"),
    path("calls/<int:call_pk>/exports/new/", export_views.start_export, name="start_export"),
    path("applications/<int:pk>/formal-review/", views.review_formally, name="formal_review"),
    path("applications/<int:pk>/assign/", views.assign_manually, name="assign"),
    path("applications/<int:pk>/cluster-pilot/", board_views.toggle_cluster_pilot, name="cluster_pilot"),
    path("publicity/<int:pk>/", publicity_views.publicity_detail, name="publicity"),
    path("publicity/<int:pk>/objections/", publicity_views.record_objection, name="record_objection"),
    path("publicity/<int:pk>/confirm/", publicity_views.confirm_pilots, name="confirm_pilots"),
    path("objections/<int:pk>/decide/", publicity_views.decide_objection, name="decide_objection"),
    path("exports/<int:pk>/", export_views.export_detail, name="export"),
    path("exports/<int:pk>/download/", export_views.download_export, name="download_export"),
    path("experts/", views.expert_pool, name="experts"),
    path("assignments/<int:pk>/reopen/", views.reopen_scores, name="reopen"),
    path("assignments/<int:pk>/remove/", views.unassign, name="unassign"),
    path("assignments/<int:pk>/conflict-ruling/", views.conflict_ruling, name="conflict_ruling"),
]
