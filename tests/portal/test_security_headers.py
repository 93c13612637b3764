"""Web hardening: a Content-Security-Policy that allows no inline script or style (and templates that need
none), framing refused, no MIME sniffing; the production shape's cookies and HSTS are in test_settings_shapes."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF by WeasyPrint, never shown to a browser: they may style inline.
PDF_ONLY = TEMPLATES / "packages"
BROWSER_PAGES = [p for p in TEMPLATES.rglob("*.html") if PDF_ONLY not in p.parents or p.parent.name == "pages"]


def test_every_page_sends_a_policy_without_inline_script(client, people):
    client.force_login(people["clerk"])
    for url in (reverse("login"), reverse("dashboards:county"), reverse("verify")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_no_browser_template_has_inline_script_handlers_or_styles():
    offenders = []
    for path in BROWSER_PAGES:
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: on…= handler")
        if re.search(r"\sstyle\s*=|<style", text):
            offenders.append(f"{path}: inline style")
    assert offenders == []
    assert len(BROWSER_PAGES) > 40  # the scan does look at the templates


def with_includes(text):
    return re.sub(r'{% include "([^"]+)"[^%]*%}', lambda m: (TEMPLATES / m.group(1)).read_text(), text)


def test_every_form_that_posts_carries_the_csrf_token():
    missing = [
        str(path)
        for path in BROWSER_PAGES
        for form in re.findall(
            r"<form[^>]*method=\"post\"[^>]*>.*?</form>", with_includes(path.read_text()), re.S | re.I
        )
        if "csrf_token" not in form
    ]
    assert missing == []


def test_a_post_without_the_csrf_token_is_refused(people):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["clerk"])
    response = browser.post(reverse("logout"))
    assert response.status_code == 403
