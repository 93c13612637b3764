import rules
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from portal.accounts.roles import Role
from portal.permissions import PermissionRequiredMixin, deny

from . import exports
from .forms import AuditFilterForm
from .log import record
from .models import AuditAction, AuditEvent

PAGE_SIZE = 50
FORMATS = {"csv": "CSV", "xlsx": "Excel"}


def _filter_query(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class AuditLogView(PermissionRequiredMixin, TemplateView):
    """Search the log (审计管理员; 省级管理员 read-only). Nothing here changes a row."""

    permission_required = "audit.view_log"
    template_name = "audit/log.html"

    def get_context_data(self, **kwargs):
        form = AuditFilterForm(self.request.GET or None)
        events = form.filter(AuditEvent.objects.all())
        page = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form,
            page=page,
            query=_filter_query(self.request),
            # The rule itself: Django's model backend, asked about a refusal, would cost two queries.
            can_export=rules.has_perm("audit.export_log", self.request.user),
            **kwargs,
        )


class AuditExportView(PermissionRequiredMixin, View):
    """The filtered rows as CSV or Excel, for the 审计管理员 only; each export is itself an audit row."""

    permission_required = "audit.export_log"

    def get(self, request, fmt):
        if fmt not in FORMATS:
            deny(request, f"audit_export:{fmt}")
        form = AuditFilterForm(request.GET or None)
        back = f"{reverse('audit_log')}?{_filter_query(request)}"
        if form.is_bound and not form.is_valid():
            messages.error(request, "筛选条件有误，未导出。请改正后再导出。")
            return redirect(back)
        events = form.filter(AuditEvent.objects.all())
        count = events.count()
        if fmt == "xlsx" and count > exports.EXCEL_MAX_ROWS:
            messages.error(request, f"共 {count} 条，超过 Excel 的行数上限，请缩小时间范围或导出 CSV。")
            return redirect(back)
        summary = form.describe()
        record(
            AuditAction.EXPORT,
            request=request,
            membership=next(iter(request.user.memberships_with(Role.AUDITOR)), None),
            verb=f"导出审计日志 {FORMATS[fmt]}：{summary}"[:64],
            reason=f"筛选条件：{summary}；共 {count} 条。",
        )
        filename = f"审计日志-{timezone.localtime():%Y%m%d-%H%M%S}.{fmt}"
        if fmt == "csv":
            response = StreamingHttpResponse(exports.csv_lines(events), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
            return response
        return FileResponse(exports.excel_file(events), as_attachment=True, filename=filename)
