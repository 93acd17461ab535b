"""Who does what, in a real browser at tablet size (768×1024), from the demo data:

- 售后服务管理 4.1.3.2: the general manager approves an exchange from the 待办 before the new unit
  ships — the warehouse may reserve the unit meanwhile, the clerk cannot ship it until then;
- 售后质量问题处理规定 4.2: a major quality problem — QC and R&D each name their own people from
  their own 待办, and the quality site visit (a field-service job) goes out once both have.
"""

import pytest

from aftersales.demo import seed
from fieldservice.models import ServiceJob
from tests.aftersales.factories import UnitFactory
from tests.browser.conftest import has_horizontal_scroll
from warranty.models import QualitySheet
from warranty.repairs.models import Replacement

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(users, reference_data):
    seed(password="pw-12345678")


def _open_todo_item(page, live_server, section: str, number: str):
    page.goto(f"{live_server.url}/")
    card = page.locator("section.todo", has_text=section)
    card.locator("a", has_text=number).click()
    page.wait_for_load_state("networkidle")


def _act(page, name: str, fill=None, check=None):
    page.locator(f"#action-{name}").evaluate("details => { details.open = true; }")
    form = page.locator(f"#{name}-form")
    for selector, value in (fill or {}).items():
        form.locator(selector.replace("[name=", f"[name={name}-")).fill(value)
    for value in check or ():
        form.locator(f"input[name={name}-people][value='{value}']").check()
    button = form.locator("button[type=submit]")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_load_state("networkidle")


def _as(page, login, username: str):
    page.context.clear_cookies()
    login(page, username)


def test_the_general_manager_approves_an_exchange_before_it_ships(tablet, login, live_server, demo, users):
    page = tablet
    record = Replacement.objects.get(old_unit__serial_number="ZK1600-2023-0005")
    stock = UnitFactory(
        serial_number="ZK1600-2026-0099", product_model=record.old_unit.product_model, customer=None, site=None
    )
    url = f"{live_server.url}{record.get_absolute_url()}"

    # The warehouse reserves the new unit while the general manager has not decided.
    _as(page, login, "warehouse")
    page.goto(url)
    assert "待总经理审批" in page.locator("main").inner_text()
    _act(page, "assign", {"input[name=new_unit]": stock.serial_number})
    assert "已指定新产品" in page.locator("h1").inner_text(), page.locator("main").inner_text()

    # The clerk cannot ship it yet: no ship step on the page (a post is refused 409, see test_views).
    _as(page, login, "clerk")
    page.goto(url)
    assert page.locator("#action-ship").count() == 0
    assert "待总经理审批" in page.locator("main").inner_text()

    # The general manager finds it on the 待办, reads the record and approves with a comment.
    _as(page, login, "gm")
    _open_todo_item(page, live_server, "待审批的产品更换", record.number)
    assert page.url == url
    main = page.locator("main").inner_text()
    assert "真空泵反复故障" in main and stock.serial_number in main
    assert not has_horizontal_scroll(page)
    _act(page, "approve", {"textarea[name=comment]": "同意换货，旧炉返厂分析"})
    main = page.locator("main").inner_text()
    assert "总经理已批准" in main and "同意换货，旧炉返厂分析" in main and "马建国" in main
    page.goto(f"{live_server.url}/")
    assert "待审批的产品更换" not in page.locator("main").inner_text()

    # Now the clerk ships it.
    _as(page, login, "clerk")
    page.goto(url)
    _act(page, "ship", {"input[name=contact_name]": "钱主任", "input[name=contact_phone]": "13900000000"})
    record.refresh_from_db()
    assert record.status == Replacement.Status.SHIPPED and record.approval_by == users["gm"]


def test_qc_and_rnd_each_name_their_people_for_a_major_problem(tablet, login, live_server, demo, users):
    page = tablet
    sheet = QualitySheet.objects.get(is_major=True)
    qc, rnd = users["qc"], users["rnd"]

    # QC names its own people from its 待办; the visit waits for R&D.
    _as(page, login, "qc")
    _open_todo_item(page, live_server, "重大质量问题：指定品质管理中心人员", sheet.number)
    assert page.locator("#action-name_rnd_team").count() == 0
    _act(page, "name_qc_team", check=[qc.pk])
    assert "品质管理中心已指定，技术研发部尚未指定" in page.locator("main").inner_text()
    assert "吴静" in page.locator("#site-teams").inner_text()
    assert not ServiceJob.objects.filter(kind=ServiceJob.Kind.QUALITY).exists()

    # R&D has its own 待办 item and names its own people: now the site visit goes out.
    _as(page, login, "rnd")
    _open_todo_item(page, live_server, "重大质量问题：指定技术研发部人员", sheet.number)
    assert page.locator("#action-name_qc_team").count() == 0
    assert not has_horizontal_scroll(page)
    _act(page, "name_rnd_team", check=[rnd.pk])
    teams = page.locator("#site-teams").inner_text()
    assert "品质管理中心" in teams and "技术研发部" in teams and "郑涛" in teams and "吴静" in teams
    assert "品质管理中心和技术研发部均已指定人员" in page.locator("main").inner_text()
    job = ServiceJob.objects.get(kind=ServiceJob.Kind.QUALITY)
    assert set(job.site_team.all()) == {qc, rnd}
    page.goto(f"{live_server.url}/")
    assert "重大质量问题：指定技术研发部人员" not in page.locator("main").inner_text()
