"""The idle-timeout warning a minute before the session ends, and “继续使用” renewing it."""

import pytest
from playwright.sync_api import expect

from portal.accounts.roles import Role

from ..factories import user_with_role
from .helpers import log_in

pytestmark = pytest.mark.browser


def test_the_page_warns_before_the_session_ends_and_continuing_renews_it(live_server, page, settings):
    settings.SESSION_COOKIE_AGE = 63  # the warning shows with 60 s left: after about 3 s here
    user_with_role(Role.APPLICANT_CLERK, "320115", username="jn_clerk")
    log_in(page, live_server.url, "jn_clerk")
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible(timeout=10_000)
    expect(warning).to_contain_text("秒后将自动退出登录")
    with page.expect_response(lambda r: r.url.endswith("/account/keepalive/") and r.status == 204):
        page.get_by_role("button", name="继续使用").click()
    expect(warning).to_be_hidden()
