from django.urls import path

from .views import detail

app_name = "applications"
urlpatterns = [
    path("<int:pk>/", detail.application_detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", detail.application_transition, name="transition"),
]
