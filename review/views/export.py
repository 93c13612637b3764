"""Exports of a call for the provincial office: start one, watch its progress, download it (audited)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.permissions import deny

from ..models import ExportJob
from ..tasks import queue_export
from .province import managed_call


@login_required
def exports(request, call_pk):
    return _render_exports(request, managed_call(request, call_pk))


def _render_exports(request, call, refusal=""):
    """The exports page; `refusal` is said beside the choice of what to export, as it was posted."""
    jobs = ExportJob.objects.filter(call=call).select_related("created_by")[:20]
    context = {"call": call, "jobs": jobs, "kinds": ExportJob.Kind.choices, "refusal": refusal}
    return render(request, "province/exports.html", context)


@login_required
@require_POST
def start_export(request, call_pk):
    call = managed_call(request, call_pk)
    kind = request.POST.get("kind")
    if kind not in ExportJob.Kind.values:
        return _render_exports(request, call, "请选择导出内容。")
    job = ExportJob.objects.create(call=call, kind=kind, created_by=request.user)
    record(AuditAction.EXPORT, request=request, obj=call, verb=f"开始导出{job.get_kind_display()}")
    queue_export(job)
    return redirect("province:export", job.pk)


def _own_job(request, pk):
    job = get_object_or_404(ExportJob.objects.select_related("call"), pk=pk)
    managed_call(request, job.call_id)
    return job


@login_required
def export_detail(request, pk):
    job = _own_job(request, pk)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"state": job.state, "label": job.get_state_display(), "progress": job.progress})
    return render(request, "province/export.html", {"job": job, "call": job.call})


@login_required
def download_export(request, pk):
    job = _own_job(request, pk)
    if job.state != ExportJob.State.READY or not job.file:
        deny(request, f"export:{pk}")
    record(AuditAction.DOWNLOAD, request=request, obj=job.call, verb=f"下载{job.get_kind_display()}")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
