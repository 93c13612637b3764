from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from .models import Unit
from .roles import DASHBOARD_FOR_ROLE


@login_required
def home(request):
    """Each role lands on its own dashboard; a user with several posts starts at the highest."""
    roles = {m.role for m in request.user.active_memberships}
    for role, url_name in DASHBOARD_FOR_ROLE.items():
        if role in roles:
            return redirect(url_name)
    return redirect("no_post")


class NoPostView(LoginRequiredMixin, TemplateView):
    template_name = "dashboards/no_post.html"


@login_required
def unit_seal(request, pk):
    """A unit's seal image. Seals are printed on every document of the chain, so any signed-in user
    may see them; the files themselves stay outside the web root."""
    unit = get_object_or_404(Unit, pk=pk)
    if not unit.seal:
        raise Http404("该单位尚未上传印章。")
    response = FileResponse(unit.seal.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
