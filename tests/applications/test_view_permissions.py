"""Every county page of an application, for every post, on its own unit's draft and after submission."""

import pytest
from django.urls import reverse

from ..factories import drive

GET_PAGES = ("detail", "edit_declaration", "edit_scheme", "edit_plan", "attachments", "download_attachment", "submit")
EVERYBODY = ("clerk", "head", "other_head", "city", "other_city", "province", "expert", "sysadmin")

# What each post gets on a draft of 江宁区 (their own county for clerk and head).
DRAFT = {
    "clerk": {
        "detail": 200,
        "edit_declaration": 200,
        "edit_scheme": 200,
        "edit_plan": 200,
        "attachments": 200,
        "download_attachment": 200,
        "submit": 404,
    },
    "head": {page: 200 for page in GET_PAGES},
}
# Once submitted: the county reads but no longer edits; its city reads; nobody else sees anything.
SUBMITTED = {
    "clerk": {"detail": 200, "download_attachment": 200},
    "head": {"detail": 200, "download_attachment": 200},
    "city": {"detail": 200, "download_attachment": 200},
}


def page_url(name, application):
    args = [application.pk]
    if name == "download_attachment":
        args.append(application.attachments.first().pk)
    return reverse(f"applications:{name}", args=args)


@pytest.mark.parametrize("page", GET_PAGES)
def test_draft_pages_for_every_post(client, people, application, page):
    url = page_url(page, application)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for who in EVERYBODY:
        client.force_login(people[who])
        assert client.get(url).status_code == DRAFT.get(who, {}).get(page, 404), who


@pytest.mark.parametrize("page", GET_PAGES)
def test_submitted_pages_for_every_post(client, people, application, page):
    drive(application, ("submit", people["head"]))
    url = page_url(page, application)
    for who in EVERYBODY:
        client.force_login(people[who])
        assert client.get(url).status_code == SUBMITTED.get(who, {}).get(page, 404), who


@pytest.mark.parametrize("page", ("edit_declaration", "edit_scheme", "edit_plan", "edit_spatial", "attachments"))
def test_other_units_cannot_write_a_draft(client, people, application, page):
    before = {part.key: part.revision for part in application.parts.all()}
    for who in ("other_head", "city", "province", "expert", "sysadmin"):
        client.force_login(people[who])
        assert client.post(reverse(f"applications:{page}", args=[application.pk]), {"leader": "x"}).status_code == 404
    assert {part.key: part.revision for part in application.parts.all()} == before


def test_other_units_cannot_delete_a_file(client, people, application):
    attachment = application.attachments.first()
    url = reverse("applications:delete_attachment", args=[application.pk, attachment.pk])
    for who in ("other_head", "city", "province", "expert"):
        client.force_login(people[who])
        assert client.post(url).status_code == 404
    assert application.attachments.filter(pk=attachment.pk).exists()


def test_file_of_another_application_is_not_reachable_through_mine(client, people, application, call):
    from ..factories import ApplicationFactory, make_ready

    other = make_ready(ApplicationFactory(call=call, filing_unit=people["other_head"].active_memberships[0].unit))
    foreign = other.attachments.first()
    client.force_login(people["clerk"])
    url = reverse("applications:download_attachment", args=[application.pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_new_application_only_for_filing_units(client, people, call):
    for who in ("city", "province", "expert", "sysadmin"):
        client.force_login(people[who])
        assert client.get(reverse("applications:new")).status_code == 404, who
    client.force_login(people["clerk"])
    page = client.get(reverse("applications:new")).content.decode()
    assert call.title in page
