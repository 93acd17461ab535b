import pytest

from tests.browser.conftest import TABLET_LANDSCAPE, has_horizontal_scroll

pytestmark = pytest.mark.browser


def test_clerk_logs_in_on_a_tablet_and_sees_my_work_without_horizontal_scroll(tablet, login):
    login(tablet, "clerk")
    assert tablet.locator("h1").first.inner_text().startswith("我的待办")
    assert not has_horizontal_scroll(tablet)
    tablet.set_viewport_size(TABLET_LANDSCAPE)
    assert not has_horizontal_scroll(tablet)
    tablet.click("#main-menu summary")
    assert tablet.locator("#main-menu nav a").first.is_visible()


def test_login_page_is_usable_on_a_tablet(tablet, live_server):
    tablet.goto(f"{live_server.url}/login/")
    assert "登录" in tablet.content()
    box = tablet.locator("button[type=submit]").bounding_box()
    assert box["height"] >= 44, "touch target at least 44 px high"
    assert not has_horizontal_scroll(tablet)
