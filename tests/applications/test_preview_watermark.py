"""The web preview of a draft carries the 草稿 watermark the draft PDF has; a submitted application's does not."""

import re

from django.urls import reverse

from ..factories import drive


def marked_as_draft(client, application):
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    paper = re.search(r'<section class="([^"]*\bpaper\b[^"]*)">', page)
    assert paper, "the preview's paper is there"
    note = re.search(r'<p class="visually-hidden" id="draft-note">([^<]*)</p>', page)
    assert ("paper-draft" in paper.group(1).split()) == (note is not None), "watermark and its spoken note go together"
    return note is not None and note.group(1).startswith("草稿")


def test_a_drafts_preview_has_the_watermark_and_a_submitted_one_has_not(client, people, application):
    client.force_login(people["clerk"])
    assert marked_as_draft(client, application)
    drive(application, ("submit", people["head"]))
    assert not marked_as_draft(client, application)
