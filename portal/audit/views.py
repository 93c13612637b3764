from django.core.paginator import Paginator
from django.views.generic import TemplateView

from portal.permissions import PermissionRequiredMixin

from .forms import AuditFilterForm
from .models import AuditEvent


class AuditLogView(PermissionRequiredMixin, TemplateView):
    permission_required = "audit.view_log"
    template_name = "audit/log.html"

    def get_context_data(self, **kwargs):
        form = AuditFilterForm(self.request.GET or None)
        events = form.filter(AuditEvent.objects.all())
        page = Paginator(events, 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(form=form, page=page, query=query.urlencode(), **kwargs)
