from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.permissions import get_visible_or_404

from .models import Notification


@login_required
def inbox(request):
    notices = Notification.objects.filter(user=request.user)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def open_notice(request, pk):
    notice = get_visible_or_404(request, Notification.objects.filter(user=request.user), pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    safe = url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()})
    return redirect(notice.link if notice.link and safe else "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:inbox")
