from django.urls import path

from .views import dashboards

app_name = "dashboards"
urlpatterns = [
    path("county/", dashboards.CountyDashboard.as_view(), name="county"),
    path("city/", dashboards.CityDashboard.as_view(), name="city"),
    path("province/", dashboards.ProvinceDashboard.as_view(), name="province"),
]
