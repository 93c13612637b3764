"""County pages: start an application, fill its parts, upload files, seal and submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.calls.models import Call
from portal.calls.recommenders import NoRecommender, recommender_for
from portal.irreversible import Consequences, ask_once_more, confirmed, revising
from portal.permissions import deny, get_visible_or_404
from portal.workflow import TransitionRefused

from ..domain.access import can_edit, can_seal_and_submit, filing_units, visible_applications
from ..domain.content import (
    ApplicationContent,
    EditConflict,
    NoLongerEditable,
    add_attachment,
    remove_attachment,
    save_part,
)
from ..domain.submission import seal_and_submit as submit_with_seal
from ..domain.transitions import FILING_OPINION
from ..forms.submission import AttachmentForm, NewApplicationForm, SubmitForm
from ..models import Application
from ..programmes import programme_for
from ..status import EDITABLE_BY_APPLICANT
from ..validators.uploads import check_upload, clean_filename
from .panels import application_context


def _editable_or_404(request, pk):
    application = get_visible_or_404(request, visible_applications(request.user).with_list_relations(), pk)
    if not can_edit(request.user, application):
        deny(request, f"edit:{pk}")
    return application


@login_required
def new_application(request):
    units = filing_units(request.user)
    if not units:
        deny(request, "new_application")
    calls = [
        call
        for call in Call.objects.open_for_filing().select_related("programme")
        if any(call.may_file(unit) for unit in units)
    ]
    form = NewApplicationForm(request.POST or None, calls=calls, units=units)
    if request.method == "POST" and form.is_valid():
        call, unit = form.cleaned_data["call"], form.cleaned_data["unit"]
        try:
            recommender = recommender_for(call, unit)
        except NoRecommender as problem:
            form.add_error("unit", str(problem))
        else:
            application = Application.objects.create(
                call=call,
                filing_unit=unit,
                recommender_unit=recommender,
                name=form.cleaned_data["name"],
                created_by=request.user,
            )
            programme = programme_for(application)
            save_part(application, programme.name_part, {programme.name_field: application.name}, 0, request.user)
            messages.success(request, "已创建申报草稿，请逐项填写。草稿可随时保存。")
            return redirect(programme.parts[0].url(application.pk))
    return render(request, "applications/new.html", {"form": form, "calls": calls})


def _part_page(request, pk, part_key, template, layout=None, application=None):
    application = application or _editable_or_404(request, pk)
    programme = programme_for(application)
    try:
        form_class = programme.form_class(part_key, application.call)
    except KeyError:  # a part of another programme
        deny(request, f"edit_part:{pk}:{part_key[:20]}")
    content = ApplicationContent(application)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        form = form_class(request.POST)
        values = form.valid_values()
        try:
            part = save_part(
                application,
                part_key,
                values,
                form.base_revision(),
                request.user,
                programme.name_field,
                editable_in=EDITABLE_BY_APPLICANT,
            )
        except (EditConflict, NoLongerEditable) as conflict:
            if autosave:
                return JsonResponse({"ok": False, "conflict": str(conflict)}, status=409)
            form.add_error(None, str(conflict))
        else:
            saved_at = timezone.localtime(part.saved_at).strftime("%H:%M")
            if autosave:
                errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
                return JsonResponse({"ok": True, "revision": part.revision, "saved_at": saved_at, "errors": errors})
            if form.errors:
                messages.warning(request, f"已于 {saved_at} 保存，其中 {len(form.errors)} 项有误未保存，请按提示更正。")
                form.data = form.data.copy()
                form.data["revision"] = part.revision
            else:
                messages.success(request, f"已保存（{saved_at}）。")
                return redirect(request.path)
        content = ApplicationContent(application)
    else:
        form = form_class(initial={**content.data(part_key), "revision": content.revision(part_key)})
    context = application_context(application, request.user, content)
    part_spec = next((p for p in programme.parts if p.key == part_key), None)
    context.update(form=form, current_part=part_key, part_spec=part_spec, saved_part=content.parts.get(part_key))
    if layout:
        context.update(layout(form, programme, application))
    return render(request, template, context)


def _groups_layout(part):
    def layout(form, programme, application):
        groups = programme.part_groups[part.key]
        return {"groups": [(group, [(spec, form[spec.key]) for spec in group.fields]) for group in groups]}

    return layout


def _checklist_layout(part):
    def layout(form, programme, application):
        sections = {}
        for item in programme.checklist_items:
            sections.setdefault(item.section, []).append((item, form[item.key]))
        extras = [form[key] for key in form.fields if key not in {i.key for i in programme.checklist_items}]
        return {"sections": list(sections.items()), "extras": [f for f in extras if not f.is_hidden]}

    return layout


def _repeat_layout(part):
    def layout(form, programme, application):
        return {"repeats": [(group, form.items(group.key)) for group in form.repeat_groups]}

    return layout


GENERIC_LAYOUTS = {"groups": _groups_layout, "checklist": _checklist_layout, "repeat": _repeat_layout, "outline": None}


@login_required
def edit_part(request, pk, part):
    """A part laid out by its declaration (programmes whose parts need no page of their own)."""
    application = _editable_or_404(request, pk)
    spec = next((p for p in programme_for(application).parts if p.key == part), None)
    if spec is None or spec.layout not in GENERIC_LAYOUTS:
        deny(request, f"edit_part:{pk}:{part[:20]}")
    make_layout = GENERIC_LAYOUTS[spec.layout]
    template = f"applications/edit/{spec.layout}.html"
    return _part_page(request, pk, part, template, make_layout(spec) if make_layout else None, application)


def _plan_layout(form, programme, application):
    years = application.call.plan_year_range
    rows = [
        {"indicator": indicator, "cells": [form[programme.cell_key(indicator.number, year)] for year in years]}
        for indicator in programme.indicators
    ]
    return {"rows": rows}


@login_required
def edit_plan(request, pk):
    return _part_page(request, pk, "plan", "applications/edit/plan.html", _plan_layout)


@login_required
def edit_spatial(request, pk):
    """The 是否已开工 answer is saved from the attachments page, which it returns to."""
    _editable_or_404(request, pk)
    if request.method == "POST":
        response = _part_page(request, pk, "spatial", "applications/edit/attachments.html", _beside_uploads)
        if response.status_code == 200:  # the attachment page again, the answer as given and its error by it
            return response
    return redirect("applications:attachments", pk)


def _beside_uploads(form, programme, application):
    """What the attachment page shows around the part answered beside the uploads."""
    return {
        "upload_form": AttachmentForm(kinds=programme.attachment_kinds),
        "side_template": f"applications/edit/{programme.attachments_form_part}_form.html",
        "current_part": "attachments",
    }


@login_required
def attachments(request, pk):
    application = _editable_or_404(request, pk)
    programme = programme_for(application)
    content = ApplicationContent(application)
    upload_form = AttachmentForm(kinds=programme.attachment_kinds)
    if request.method == "POST":
        upload_form = AttachmentForm(request.POST, request.FILES, kinds=programme.attachment_kinds)
        if upload_form.is_valid():
            kind = upload_form.kind_spec()
            uploaded = upload_form.cleaned_data["file"]
            try:
                checked = check_upload(uploaded, kind.accepts, already_stored=content.stored_bytes())
            except ValidationError as refused:
                upload_form.add_error("file", refused)
                record(
                    AuditAction.UPLOAD_REFUSED,
                    request=request,
                    obj=application,
                    verb=kind.label,
                    reason=f"{clean_filename(uploaded.name)[:80]}：{refused.messages[0]}",
                )
            else:
                try:
                    add_attachment(application, kind.key, uploaded, checked, request.user)
                except NoLongerEditable as refused:
                    upload_form.add_error(None, str(refused))
                else:
                    messages.success(request, f"已上传“{checked.original_name}”（{kind.label}）。")
                    return redirect("applications:attachments", pk)
    side_part = programme.attachments_form_part  # answered beside the uploads (空间规划: 是否已开工), if any
    side_form = None
    if side_part:
        side_form = programme.form_class(side_part, application.call)(
            initial={**content.data(side_part), "revision": content.revision(side_part)}
        )
    context = application_context(application, request.user, content)
    context.update(upload_form=upload_form, form=side_form, current_part="attachments")
    if side_part:
        context["side_template"] = f"applications/edit/{side_part}_form.html"
    return render(request, "applications/edit/attachments.html", context)


@login_required
@require_POST
def delete_attachment(request, pk, attachment_pk):
    application = _editable_or_404(request, pk)
    attachment = get_visible_or_404(request, application.attachments.all(), attachment_pk)
    try:
        remove_attachment(attachment)
    except NoLongerEditable as refused:
        messages.error(request, str(refused))
        return redirect(application)
    messages.success(request, f"已删除“{attachment.original_name}”。")
    return redirect("applications:attachments", pk)


@login_required
def download_attachment(request, pk, attachment_pk):
    application = get_visible_or_404(request, visible_applications(request.user), pk)
    attachment = get_visible_or_404(request, application.attachments.all(), attachment_pk)
    record(AuditAction.DOWNLOAD, request=request, obj=application, verb=attachment.original_name[:64])
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=request.GET.get("inline") != "1",
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def submission_consequences(application, content, chain, opinion_text):
    recipient = application.recommender_unit.official_name
    return Consequences(
        act=f"盖章报送{chain.recommender}",
        recipient=recipient,
        happens=(
            f"以“{application.filing_unit.official_name}”的名义加盖本单位公章，出具{chain.filing_opinion}；",
            f"冻结为第 {application.version + 1} 版：全部填写内容和 {len(content.attachments)} 个附件，"
            "此后不能再修改；",
            f"{recipient}收到报送并开始初审；需要修改时，只能由其退回，或在报送截止前写明理由撤回。",
        ),
        listed=(application.name,),
        typed=((chain.filing_opinion, chain.filing_pledge or opinion_text),),
        cannot_undo="加盖的公章和冻结的版本不能撤销。",
    )


@login_required
def seal_and_submit(request, pk):
    """The filing unit's head writes its opinion (or makes its pledge), applies the unit seal and submits."""
    application = get_visible_or_404(request, visible_applications(request.user).with_list_relations(), pk)
    if not can_seal_and_submit(request.user, application):
        deny(request, f"submit:{pk}")
    chain = programme_for(application).chain

    def saved_opinion():  # read only for a page shown: the confirmed act reads the content under the row lock
        return ApplicationContent.of(application).data(FILING_OPINION).get("text", "")

    form = SubmitForm(request.POST or None, initial={"opinion": saved_opinion}, chain=chain)
    if request.method == "POST" and form.is_valid() and not revising(request):
        if not confirmed(request):
            content = ApplicationContent.of(application)
            return ask_once_more(request, submission_consequences(application, content, chain, form.opinion_text()))
        try:
            submit_with_seal(application, request.user, form.opinion_text(), request=request)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"已盖章并报送{chain.recommender}。")
            return redirect(application)
    context = application_context(application, request.user, ApplicationContent.of(application))
    context.update(form=form, current_part="submit")
    return render(request, "applications/edit/submit.html", context)
