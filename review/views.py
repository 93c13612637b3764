from django.core.paginator import Paginator
from django.views.generic import TemplateView

from portal.permissions import PermissionRequiredMixin

from .models import Assignment


class ExpertDashboard(PermissionRequiredMixin, TemplateView):
    permission_required = "review.view_expert_dashboard"
    template_name = "dashboards/expert.html"

    def get_context_data(self, **kwargs):
        assignments = Assignment.objects.filter(expert=self.request.user).select_related(
            "application", "application__call", "application__filing_unit"
        )
        page = Paginator(assignments, 20).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)
