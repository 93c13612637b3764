from django.urls import path

from review.pilots.dashboards import city_board, county_board, province_board

from .views import dashboards


def charts_excel(permission, board, filename):
    """The dashboard's charts as one workbook, for the posts that see the dashboard."""
    return dashboards.ChartsExcel.as_view(permission_required=permission, board=board, filename=filename)


app_name = "dashboards"
urlpatterns = [
    path("county/", dashboards.CountyDashboard.as_view(), name="county"),
    path(
        "county/charts.xlsx",
        charts_excel("dashboards.view_county", county_board, "众创社区年度指标统计"),
        name="county_excel",
    ),
    path("city/", dashboards.CityDashboard.as_view(), name="city"),
    path(
        "city/charts.xlsx",
        charts_excel("dashboards.view_city", city_board, "众创社区覆盖与计划完成统计"),
        name="city_excel",
    ),
    path("province/", dashboards.ProvinceDashboard.as_view(), name="province"),
    path(
        "province/charts.xlsx",
        charts_excel("dashboards.view_province", province_board, "众创社区备案试点统计"),
        name="province_excel",
    ),
]
