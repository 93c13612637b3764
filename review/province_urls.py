from django.urls import path

from .views import board, export, forwarding, province, publicity

app_name = "province"
urlpatterns = [
    path("calls/<int:call_pk>/", province.inbox, name="inbox"),
    path("calls/<int:call_pk>/packages/<int:package_pk>/<str:fmt>/", province.package_file, name="package_file"),
    path("calls/<int:call_pk>/assignment/", province.assignment, name="assignment"),
    path("calls/<int:call_pk>/progress/", province.progress, name="progress"),
    path("calls/<int:call_pk>/ranking/", board.ranking_board, name="ranking"),
    path("calls/<int:call_pk>/decisions/", board.decide_selected, name="decide"),
    path("calls/<int:call_pk>/publicity/", board.open_publicity, name="open_publicity"),
    path("calls/<int:call_pk>/forwarding/", forwarding.forwarding, name="forwarding"),
    path("calls/<int:call_pk>/exports/", export.exports, name="exports"),
    path("calls/<int:call_pk>/exports/new/", export.start_export, name="start_export"),
    path("applications/<int:pk>/formal-review/", province.review_formally, name="formal_review"),
    path("applications/<int:pk>/assign/", province.assign_manually, name="assign"),
    path("applications/<int:pk>/cluster-pilot/", board.toggle_cluster_pilot, name="cluster_pilot"),
    path("publicity/<int:pk>/", publicity.publicity_detail, name="publicity"),
    path("publicity/<int:pk>/objections/", publicity.record_objection, name="record_objection"),
    path("publicity/<int:pk>/confirm/", publicity.confirm_pilots, name="confirm_pilots"),
    path("objections/<int:pk>/decide/", publicity.decide_objection, name="decide_objection"),
    path("exports/<int:pk>/", export.export_detail, name="export"),
    path("exports/<int:pk>/download/", export.download_export, name="download_export"),
    path("experts/", province.expert_pool, name="experts"),
    path("assignments/<int:pk>/reopen/", province.reopen_scores, name="reopen"),
    path("assignments/<int:pk>/remove/", province.unassign, name="unassign"),
    path("assignments/<int:pk>/conflict-ruling/", province.conflict_ruling, name="conflict_ruling"),
]
