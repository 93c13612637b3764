"""HTML to PDF with WeasyPrint, with the portal's fonts and local files only."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from . import fonts


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _local_files_only():
    """WeasyPrint may read files on this machine (fonts, seals, uploads); never the network."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file"})


def render_pdf(template_name, context):
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, {"font": {r: fonts.family(r) for r in fonts.FACES}, **context})
    stylesheet = CSS(string=fonts.font_face_css(), font_config=_font_config())
    document = HTML(string=html, base_url=Path(settings.BASE_DIR).as_uri() + "/", url_fetcher=_local_files_only())
    return document.write_pdf(stylesheets=[stylesheet], font_config=_font_config())
