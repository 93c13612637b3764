from django.urls import path

from portal.accounts.roles import APPLICANT_ROLES, Role

from . import dashboard_views
from .dashboards import city_board, county_board, province_board


def charts_excel(permission, board, roles, filename):
    """The dashboard's charts as one workbook, for the posts that see the dashboard's pilot section."""
    return dashboard_views.ChartsExcel.as_view(
        permission_required=permission, board=board, roles=roles, filename=filename
    )


app_name = "dashboards"
urlpatterns = [
    path("county/", dashboard_views.CountyDashboard.as_view(), name="county"),
    path(
        "county/charts.xlsx",
        charts_excel("dashboards.view_county", county_board, APPLICANT_ROLES, "众创社区年度指标统计"),
        name="county_excel",
    ),
    path("city/", dashboard_views.CityDashboard.as_view(), name="city"),
    path(
        "city/charts.xlsx",
        charts_excel("dashboards.view_city", city_board, (Role.RECOMMENDER,), "众创社区覆盖与计划完成统计"),
        name="city_excel",
    ),
    path("province/", dashboard_views.ProvinceDashboard.as_view(), name="province"),
    path(
        "province/charts.xlsx",
        charts_excel("dashboards.view_province", province_board, (Role.PROVINCE,), "众创社区备案试点统计"),
        name="province_excel",
    ),
]
