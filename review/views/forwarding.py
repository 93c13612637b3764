"""The province's 推荐公函 page (programmes that send the best on to the next level): the letter, the
applications it lists in order, and its PDF once sent. Thin: the rules live in review.domain.forwarding."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from applications.domain.endorsement import letters_in_force
from applications.forms.endorsement import LetterForm
from applications.models import Package
from applications.programmes import REGISTRY
from portal.irreversible import Consequences, ask_once_more, confirmed, revising
from portal.permissions import deny

from ..domain.batches import BatchRefused
from ..domain.forwarding import awaiting_forwarding, forwarding_letter, forwards, may_send, send_forwarding_letter
from .province import managed_call, parse_ids


@login_required
def forwarding(request, call_pk):
    call = managed_call(request, call_pk)
    if not forwards(call):
        deny(request, f"forwarding:{call_pk}")
    sender = may_send(request.user, call)
    if request.method == "POST" and not sender:
        deny(request, f"forwarding_send:{call_pk}")
    letter = forwarding_letter(call)
    if request.method == "POST" and letter.is_submitted:  # an old tab or a hand-made request: the page shows no form
        messages.error(request, "推荐公函已盖章报送，不能修改。")
        return redirect("province:forwarding", call.pk)
    sending = request.POST.get("action") == "submit" and not revising(request)
    form = LetterForm(request.POST or None, instance=letter, sending=sending)
    if sending and not confirmed(request) and form.is_valid():
        ids = parse_ids(request.POST.getlist("ids"))
        rows = {a.pk: a for a in awaiting_forwarding(call)}
        consequences = Consequences(
            act="加盖公章并报送推荐公函",
            recipient=REGISTRY[call.programme.code].forwarding.addressee,
            happens=(
                f"以“{letter.recommender_unit.official_name}”的名义加盖公章，出具推荐公函；",
                f"按下列顺序随函{REGISTRY[call.programme.code].forwarding.verb}，附各申报材料；",
                "报送后推荐公函和推荐名单不能修改。",
            ),
            listed=tuple(rows[pk].name for pk in ids if pk in rows),
            typed=(("补充说明", form.cleaned_data.get("letter_note", "")),),
            cannot_undo="加盖公章的推荐公函一经报送不能撤回。",
        )
        return ask_once_more(request, consequences)
    if request.method == "POST" and not revising(request) and form.is_valid() and form.saved(request.user):
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
    sent = letters_in_force(letter).last()  # the 推荐公函 as sent: the page reads it, never the applications now
    listed = [] if sent else list(awaiting_forwarding(call))
    package = letter.packages.order_by("-created_at").first()
    return render(
        request,
        "province/forwarding.html",
        {
            "call": call,
            "letter": letter,
            "sent": sent,
            "sent_seal_url": sent and sent.seal and reverse("city:letter_seal", args=[sent.pk]),
            "form": form,
            "sender": sender,
            "listed": listed,
            "chosen": set(parse_ids(request.POST.getlist("ids"))) if revising(request) else None,
            "package": package if package and package.state == Package.State.READY else None,
            "package_url": package and reverse("province:package_file", args=[call.pk, package.pk, "pdf"]),
        },
    )
