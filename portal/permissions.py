"""Every view answers the permission question first. A refusal is logged and looks like a 404,
so a URL never tells a user that another unit's object exists."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from portal.audit.log import record
from portal.audit.models import AuditAction


def deny(request, what=""):
    record(AuditAction.PERMISSION_DENIED, request=request, verb=what[:64])
    raise Http404("页面不存在或您无权访问。")


class PermissionRequiredMixin(LoginRequiredMixin):
    permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(self.permission_required):
            deny(request, self.permission_required)
        self.check_further(request)
        return super().dispatch(request, *args, **kwargs)

    def check_further(self, request):
        """A view's own question after the post's permission, before any method: deny() to refuse."""


def get_visible_or_404(request, visible_queryset, pk):
    """The object if the user may see it; otherwise log the attempt and answer 404."""
    try:
        return visible_queryset.get(pk=pk)
    except (visible_queryset.model.DoesNotExist, ValueError, TypeError):
        deny(request, f"{visible_queryset.model._meta.label_lower}:{pk}")
