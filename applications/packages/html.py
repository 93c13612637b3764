"""HTML to PDF with WeasyPrint, with the portal's fonts and local files only."""

import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from . import fonts


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415  (start-up cost: WeasyPrint loads in the worker only when a PDF is rendered)

    return FontConfiguration()


MEDIA_SCHEME = "media:"


def media_uri(name):
    """The address of a stored file (seal, uploaded image) in a package's HTML, wherever the storage keeps it."""
    return MEDIA_SCHEME + quote(name)


@lru_cache(maxsize=1)
def _local_files_only():
    """WeasyPrint may read files of the portal (fonts, static files) and, through Django's storage, the stored
    files named by media_uri(); never the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415  (start-up cost, as above)

    class StorageFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(MEDIA_SCHEME):
                return super().fetch(url, headers)
            name = unquote(url.removeprefix(MEDIA_SCHEME))
            with default_storage.open(name, "rb") as stored:
                body = stored.read()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StorageFetcher(allowed_protocols={"file", "media"})


def render_pdf(template_name, context):
    from weasyprint import CSS, HTML  # noqa: PLC0415  (start-up cost, as above)

    html = render_to_string(template_name, {"font": {r: fonts.family(r) for r in fonts.FACES}, **context})
    stylesheet = CSS(string=fonts.font_face_css(), font_config=_font_config())
    document = HTML(string=html, base_url=Path(settings.BASE_DIR).as_uri() + "/", url_fetcher=_local_files_only())
    return document.write_pdf(stylesheets=[stylesheet], font_config=_font_config())
