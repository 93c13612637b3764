from django.urls import path

from .views import expert

app_name = "review"
urlpatterns = [
    path("expert/", expert.ExpertDashboard.as_view(), name="expert_dashboard"),
    path("calls/<int:call_pk>/commitment/", expert.commitment, name="commitment"),
    path("assignments/<int:pk>/", expert.score, name="score"),
    path("conflicts/", expert.declare_conflicts, name="conflicts"),
]
