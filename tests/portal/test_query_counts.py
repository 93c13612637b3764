"""Every list page costs the same number of queries whatever the amount of data."""

import pytest
from django.urls import reverse

from portal.audit.log import record
from portal.audit.models import AuditAction
from review.models import Assignment

from ..factories import ApplicationFactory, CallFactory, drive, make_ready


def _fill(people, count):
    """`count` applications per call across two calls, each taken as far as the province."""
    for _ in range(2):
        call = CallFactory()
        for _ in range(count):
            application = make_ready(ApplicationFactory(call=call))
            drive(
                application,
                ("submit", people["head"]),
                ("pass_initial_review", people["city"]),
                ("select_for_recommendation", people["city"]),
            )
        drive(application, ("send", people["city"]))
        for application in call.applications.all():
            Assignment.objects.create(application=application, expert=people["expert"])
            record(AuditAction.EXPORT, user=people["province"], obj=application)


# The dashboards' charts (review.pilots.dashboards) add: county 2 (its pilots with their plans, their reports),
# city 4 (whether it recommends for a programme with pilot years; its units, pilots, assessed reports), province 4
# here (whether its office runs such a call; pilots by city/zone/year, the current call with its funnel, the current
# round) and 5 once a round has opened (its late reports): tests/review/test_pilot_dashboards.py counts them with
# pilots at two sizes.
PAGES = {
    "dashboards:county": ("head", 12),
    "dashboards:city": ("city", 17),
    "dashboards:province": ("province", 14),
    "review:expert_dashboard": ("expert", 10),
    "audit_log": ("province", 9),
}


@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize("count", (1, 4))
def test_page_query_count_is_flat(client, people, django_assert_num_queries, url_name, count):
    _fill(people, count)
    who, queries = PAGES[url_name]
    client.force_login(people[who])
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
