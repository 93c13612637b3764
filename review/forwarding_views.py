"""The province's 推荐公函 page (programmes that send the best on to the next level): the letter, the
applications it lists in order, and its PDF once sent. Thin: the rules live in review.domain.forwarding."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from applications.forms.endorsement import LetterForm
from applications.models import Package
from applications.packages.build import sent_applications
from portal.permissions import deny

from .domain.batches import BatchRefused
from .domain.forwarding import awaiting_forwarding, forwarding_letter, forwards, may_send, send_forwarding_letter
from .province_views import managed_call, parse_ids


@login_required
def forwarding(request, call_pk):
    call = managed_call(request, call_pk)
    if not forwards(call):
        deny(request, f"forwarding:{call_pk}")
    sender = may_send(request.user, call)
    if request.method == "POST" and not sender:
        deny(request, f"forwarding_send:{call_pk}")
    letter = forwarding_letter(call)
    form = LetterForm(request.POST or None, instance=letter)
    if request.method == "POST" and form.is_valid() and form.saved(request.user):
        if request.POST.get("action") != "submit":
            messages.success(request, "推荐公函草稿已保存。")
            return redirect("province:forwarding", call.pk)
        try:
            send_forwarding_letter(call, parse_ids(request.POST.getlist("ids")), user=request.user, request=request)
        except BatchRefused as refused:
            messages.error(request, f"未报送：{refused.message}")
        else:
            messages.success(request, "推荐公函已盖章报送，PDF 正在生成。")
        return redirect("province:forwarding", call.pk)
    letter.refresh_from_db()
    listed = sent_applications(letter) if letter.is_submitted else list(awaiting_forwarding(call))
    package = letter.packages.order_by("-created_at").first()
    return render(
        request,
        "province/forwarding.html",
        {
            "call": call,
            "letter": letter,
            "form": form,
            "sender": sender,
            "listed": listed,
            "package": package if package and package.state == Package.State.READY else None,
            "package_url": package and reverse("province:package_file", args=[call.pk, package.pk, "pdf"]),
        },
    )
