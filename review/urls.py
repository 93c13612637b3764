from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("expert/", views.ExpertDashboard.as_view(), name="expert_dashboard"),
    path("calls/<int:call_pk>/commitment/", views.commitment, name="commitment"),
    path("assignments/<int:pk>/", views.score, name="score"),
    path("conflicts/", views.declare_conflicts, name="conflicts"),
]
