from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("expert/", views.ExpertDashboard.as_view(), name="expert_dashboard"),
]
