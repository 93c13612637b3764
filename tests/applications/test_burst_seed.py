"""The burst benchmark's seed gives each simulated head a ready draft and a signed-in session that submits it."""

import csv

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from applications.models import Application
from applications.status import Status


def test_each_seeded_session_submits_its_own_draft(tmp_path):
    sessions = tmp_path / "sessions.csv"
    call_command("seed_burst", applications=2, sessions=str(sessions))
    rows = list(csv.reader(sessions.open()))
    assert len(rows) == 2
    for session, pk in rows:
        client = Client()
        client.cookies["sessionid"] = session
        url = reverse("applications:submit", args=[pk])
        assert client.get(url).status_code == 200
        form = {"apply_seal": "on", "opinion": "同意报送。"}
        assert client.post(url, form).status_code == 200  # what the act does, asked once more
        response = client.post(url, {**form, "confirm_act": "yes"})
        assert response.status_code == 302 and "/submit/" not in response["Location"]
    assert set(Application.objects.filter(pk__in=[pk for _, pk in rows]).values_list("status", flat=True)) == {
        Status.SUBMITTED
    }
