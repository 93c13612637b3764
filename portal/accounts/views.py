from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from .models import Unit


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
