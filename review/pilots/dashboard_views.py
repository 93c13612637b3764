"""Each post's dashboard: its applications (the stage below) and, where it takes part, the pilots' figures."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.views.generic import TemplateView, View

from applications import queries
from applications.programmes import REGISTRY
from portal.accounts.roles import APPLICANT_ROLES, Role
from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.charts import workbook_response
from portal.permissions import PermissionRequiredMixin, deny

from .access import takes_part_in_pilots
from .dashboards import city_board, county_board, province_board

PAGE_SIZE = 20


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class CountyDashboard(PermissionRequiredMixin, TemplateView):
    permission_required = "dashboards.view_county"
    template_name = "dashboards/county.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        units = [m.unit for m in user.memberships_with(*APPLICANT_ROLES)]
        return super().get_context_data(
            units=units,
            page=paginate(self.request, queries.county_applications(user)),
            open_calls=queries.open_calls_for_units(units),
            board=county_board(user),
            excel_url=reverse("dashboards:county_excel"),
            **kwargs,
        )


class CityDashboard(PermissionRequiredMixin, TemplateView):
    permission_required = "dashboards.view_city"
    template_name = "dashboards/city.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            units=[m.unit for m in user.memberships_with(Role.RECOMMENDER)],
            summaries=queries.city_call_summaries(user),
            page=paginate(self.request, queries.city_applications(user)),
            board=pilot_board(user, city_board, (Role.RECOMMENDER,)),
            excel_url=reverse("dashboards:city_excel"),
            **kwargs,
        )


class ProvinceDashboard(PermissionRequiredMixin, TemplateView):
    permission_required = "dashboards.view_province"
    template_name = "dashboards/province.html"

    def get_context_data(self, **kwargs):
        calls = queries.province_calls(self.request.user)
        page = paginate(self.request, calls)
        counts = queries.province_counts_by_city([call.pk for call in page])
        cities = queries.city_names()
        rows = [
            {
                "call": call,
                "by_city": [counts.get(call.pk, {}).get(city, 0) for city in cities],
                "total": sum(counts.get(call.pk, {}).values()),
                "programme": REGISTRY[call.programme.code],
            }
            for call in page
        ]
        return super().get_context_data(
            page=page,
            rows=rows,
            cities=cities,
            board=pilot_board(self.request.user, province_board, (Role.PROVINCE,), cities),
            excel_url=reverse("dashboards:province_excel"),
            **kwargs,
        )


def pilot_board(user, board, roles, *args):
    """A dashboard's pilot statistics (`board(user, *args)`), for a post of `roles` that takes part in a
    programme with pilot years; None for the others, whose dashboard shows no such section."""
    return board(user, *args) if takes_part_in_pilots(user, roles) else None


class ChartsExcel(PermissionRequiredMixin, View):
    """A dashboard's charts as one workbook (a sheet per chart), for the same posts as the dashboard's pilot
    section; `board` (user -> board), `roles` and the rest are given in the URLconf."""

    filename = ""
    board = None
    roles = ()

    def check_further(self, request):
        self.pilot_board = pilot_board(request.user, self.board, self.roles)
        if self.pilot_board is None:
            deny(request, request.path)

    def get(self, request):
        board = self.pilot_board
        record(AuditAction.EXPORT, request=request, verb=f"导出{self.filename}（Excel）")
        return workbook_response(board.workbook(), self.filename)
