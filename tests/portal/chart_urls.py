"""A test-only URLconf (tests override settings.ROOT_URLCONF): the portal's URLs plus one page with two charts,
so the chart include and static/js/charts.js can be driven in a browser without shipping a demo page."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from portal.charts import Chart
from portal.urls import urlpatterns as portal_urlpatterns

PAGE = """{% extends "base.html" %}{% load static %}
{% block content %}{% for chart in charts %}
{% include "includes/chart.html" with chart=chart excel_url="#" %}
{% endfor %}{% endblock %}
{% block scripts %}<script src="{% static 'vendor/chartjs/chart.umd.js' %}"></script>
<script src="{% static 'js/charts.js' %}"></script>{% endblock %}"""

CHARTS = [
    Chart(
        key="pilots-by-city",
        title="各设区市备案试点数",
        kind="stacked-bar",
        labels=["南京市", "苏州市", "南通市"],
        series=[("2017年", [3, 4, 2]), ("2018年", [1, 2, 3])],
        unit="家",
        targets=[("每市目标", 5)],
        label_header="设区市",
    ),
    Chart(
        key="progress",
        title="备案试点累计数与目标",
        kind="line",
        labels=["2017年", "2018年", "2019年", "2020年"],
        series=[("累计备案", [20, 45, 70, None])],
        unit="家",
        targets=[("目标", 100), ("年度计划", [25, 50, 75, 100])],
        label_header="年度",
    ),
]


def chart_page(request):
    return HttpResponse(engines["django"].from_string(PAGE).render({"charts": CHARTS}, request))


urlpatterns = [path("charts-test/", chart_page), *portal_urlpatterns]
