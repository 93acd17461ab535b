import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.models import Department
from tests.warranty.factories import accepted_unit, appraise, quarantined_part, sheet, signature_png
from warranty import services
from warranty.models import Appraisal, QualitySheet, ReturnedPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(users):
    unit, shell, ctrl, supplier = accepted_unit()
    return {"unit": unit, "shell": shell, "ctrl": ctrl, "supplier": supplier}


LISTS = [
    "sheet-list",
    "part-list",
    "appraisal-list",
    "supplierclaim-list",
    "customerclaim-list",
    "incident-list",
    "action-list",
]


@pytest.mark.parametrize("name", LISTS)
def test_lists_open_for_qc_and_refused_for_technician(client_for, users, kit, name):
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    appraise(users, part)
    response = client_for("qc").get(reverse(f"warranty:{name}"))
    assert response.status_code == 200
    if name != "incident-list":
        assert client_for("technician").get(reverse(f"warranty:{name}")).status_code == 403


def test_list_query_count_is_constant(client_for, users, kit, django_assert_max_num_queries):
    for _i in range(5):
        appraise(users, quarantined_part(users, kit["unit"], kit["ctrl"]))
    client = client_for("qc")
    for name in LISTS:
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"warranty:{name}")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("warranty:quarantine")).status_code == 200


def test_list_filters_and_keyset_pages(client_for, users, kit, settings):
    import warranty.views as views

    for _i in range(3):
        sheet(users, kit["unit"])
    old = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        client = client_for("clerk")
        first = client.get(reverse("warranty:sheet-list"), {"status": "draft"})
        assert first.context["page"].has_next
        second = client.get(
            reverse("warranty:sheet-list"), {"status": "draft", "after": first.context["page"].next_cursor}
        )
        numbers = [r[0].number for r in first.context["rows"]] + [r[0].number for r in second.context["rows"]]
        assert len(set(numbers)) == 3
        assert client.get(reverse("warranty:sheet-list"), {"status": "answered"}).context["rows"] == []
    finally:
        views.PAGE_SIZE = old


def test_sheet_create_view_is_idempotent(client_for, kit):
    client = client_for("clerk")
    data = {
        "unit": kit["unit"].serial_number,
        "description": "温度超调",
        "form_token": "5b0b5f8e-9a57-4a3c-9f2d-0c1f4a7e2d11",
    }
    r1 = client.post(reverse("warranty:sheet-create"), data)
    r2 = client.post(reverse("warranty:sheet-create"), data)
    assert r1.status_code == r2.status_code == 302 and r1.url == r2.url
    assert QualitySheet.objects.count() == 1
    assert client_for("warehouse").get(reverse("warranty:sheet-create")).status_code == 403


def test_sheet_detail_actions_by_role_and_stale_page(client_for, users, kit):
    s = sheet(users, kit["unit"])
    url = reverse("warranty:sheet-step", args=[s.pk, "send"])
    page = client_for("clerk").get(s.get_absolute_url())
    assert page.status_code == 200 and b'id="send-form"' in page.content
    assert b'id="send-form"' not in client_for("qc").get(s.get_absolute_url()).content
    post = {"expected_state": "draft", "send-first_answer": "已答复"}
    assert client_for("qc").post(url, post).status_code == 403
    assert client_for("clerk").post(url, {"expected_state": "draft"}).status_code == 400
    assert client_for("clerk").post(url, post).status_code == 302
    # The same page posted again: the record moved on, the user is told (409), never a 500.
    again = client_for("clerk").post(url, post)
    assert again.status_code == 409
    url = reverse("warranty:sheet-step", args=[s.pk, "answer"])
    answer = {"expected_state": "sent", "answer-opinion": "返厂"}
    assert client_for("clerk").post(url, answer).status_code == 403
    assert client_for("qc").post(url, answer).status_code == 302
    assert QualitySheet.objects.get(pk=s.pk).status == "answered"
    assert client_for("qc").post(reverse("warranty:sheet-step", args=[s.pk, "nope"])).status_code == 404
    assert client_for("qc").get(url).status_code == 405


def test_part_flow_through_views(client_for, users, kit):
    s = sheet(users, kit["unit"])
    clerk = client_for("clerk")
    r = clerk.post(
        reverse("warranty:part-create") + f"?sheet={s.pk}",
        {"unit": kit["unit"].serial_number, "component": kit["ctrl"].pk, "part_name": "温控仪表", "quantity": 1},
    )
    part = ReturnedPart.objects.get()
    assert r.status_code == 302 and part.sheet == s
    act = reverse("warranty:part-step", args=[part.pk, "grade_part"])
    grade = {
        "expected_state": "received",
        "grade_part-grade": "company",
        "grade_part-analysis": "仪表无显示",
    }
    assert client_for("warehouse").post(act, grade).status_code == 403
    assert clerk.post(act, grade).status_code == 302
    act = reverse("warranty:part-step", args=[part.pk, "quarantine"])
    q = {
        "expected_state": "tagged",
        "quarantine-location": "隔离区B",
        "quarantine-given_by": "王芳",
    }
    assert clerk.post(act, q).status_code == 403
    assert client_for("warehouse").post(act, q).status_code == 302
    r = client_for("warehouse").post(
        reverse("warranty:part-step", args=[part.pk, "handover"]),
        {"handover-given_by": "库房刘敏", "handover-received_by": users["qc"].pk, "handover-to_location": "鉴定室"},
    )
    assert r.status_code == 302
    assert client_for("sales").post(reverse("warranty:part-step", args=[part.pk, "handover"]), {}).status_code == 403
    page = client_for("warehouse").get(reverse("warranty:quarantine"))
    assert part.number in page.content.decode()
    assert client_for("sales").get(reverse("warranty:quarantine")).status_code == 403


def test_appraise_view_signs_and_routes(client_for, users, kit):
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    a = part.appraisal
    act = reverse("warranty:appraisal-step", args=[a.pk, "appraise"])
    data = {
        "expected_state": "filed",
        "place": "warehouse",
        "own_defect": "1",
        "origin": "bought_in",
        "cause": "仪表主板虚焊",
        "outcome": "replace",
        "signature": signature_png(),
    }
    # A page of its own (QC signs with a finger), showing the rule that decides the outcome.
    assert client_for("qc").get(act).status_code == 200
    assert client_for("clerk").get(act).status_code == 403
    assert client_for("clerk").post(act, data).status_code == 403
    assert client_for("qc").post(act, {**data, "signature": ""}).status_code == 400
    assert client_for("qc").post(act, data).status_code == 302
    a = Appraisal.objects.get(pk=a.pk)
    assert a.status == "own_defect" and a.supplier == kit["supplier"]
    page = client_for("purchasing").get(a.get_absolute_url()).content.decode()
    assert a.supplier_claim.number in page
    note = reverse("warranty:appraisal-step", args=[a.pk, "take_note"])
    page = client_for("purchasing").get(a.get_absolute_url())
    assert b'id="my-notices"' in page.content and b'id="take_note-form"' in page.content
    assert b'id="take_note-form"' not in client_for("production").get(a.get_absolute_url()).content
    assert client_for("production").post(note, {"expected_state": "own_defect"}).status_code == 403
    assert client_for("purchasing").post(note, {"expected_state": "own_defect"}).status_code == 302
    assert a.notices.get(role="purchasing").read_by == users["purchasing"]
    assert b'id="my-notices"' not in client_for("purchasing").get(a.get_absolute_url()).content
    act = reverse("warranty:appraisal-step", args=[a.pk, "exchange"])
    ex = {"expected_state": "own_defect", "exchange-good_part_serial": "G-9"}
    assert client_for("clerk").post(act, ex).status_code == 403
    assert client_for("warehouse").post(act, ex).status_code == 302


def test_todo_shows_supplier_deadline_and_overdue(client_for, users, kit):
    from datetime import timedelta

    from django.utils import timezone

    a = appraise(users, quarantined_part(users, kit["unit"], kit["ctrl"]))
    services.supplier_claim_notify(
        pk=a.supplier_claim.pk, by=users["purchasing"], on=timezone.localdate() - timedelta(days=40)
    )
    page = client_for("purchasing").get(reverse("aftersales:todo")).content.decode()
    assert a.supplier_claim.number in page and "flag-overdue" in page


def test_incident_views_costs_and_signing_link(client_for, users, kit):
    dept = Department.objects.create(code="PDV", name="生产三班", kind=Department.Kind.PRODUCTION)
    r = client_for("technician").post(
        reverse("warranty:incident-create"), {"unit": kit["unit"].serial_number, "description": "漏气"}
    )
    assert r.status_code == 302
    from warranty.models import QualityIncident

    i = QualityIncident.objects.get()
    services.incident_trace(pk=i.pk, by=users["qc"], first_cause="a", consequence="b")
    services.incident_assign(pk=i.pk, by=users["leader"], department=dept)
    services.incident_dispatch(pk=i.pk, by=users["leader"], people="李工")
    make_link = reverse("warranty:incident-step", args=[i.pk, "signing_link"])
    assert client_for("sales").post(make_link, {"expected_state": "dispatched"}).status_code == 403
    assert client_for("qc").post(make_link, {"expected_state": "dispatched"}).status_code == 302
    page = client_for("qc").get(i.get_absolute_url())
    assert "/s/" in page.context["signing_url"] and b'id="signing-link"' in page.content
    # The link is shown to the one who made it, not to everyone who may see the incident.
    assert client_for("clerk").get(i.get_absolute_url()).context["signing_url"] == ""
    token = page.context["signing_url"].rstrip("/").rsplit("/", 1)[-1]
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(reverse("aftersales:sign-link", args=[token])).status_code == 200
    done = anonymous.post(
        reverse("aftersales:sign-link", args=[token]), {"signer_name": "黄建华", "signature": signature_png()}
    )
    assert done.status_code == 200 and done.context["done"]
    assert anonymous.get(reverse("aftersales:sign-link", args=[token])).status_code == 410
    assert client_for("qc").get(i.get_absolute_url()).context["signing_url"] == "", "a used link is gone"
    assert client_for("qc").post(make_link, {"expected_state": "dispatched"}).status_code == 409
    cost_url = reverse("warranty:incident-step", args=[i.pk, "cost"])
    assert client_for("qc").post(cost_url, {"cost-kind": "travel", "cost-amount": "100"}).status_code == 403
    assert client_for("production").post(cost_url, {"cost-kind": "travel", "cost-amount": "100"}).status_code == 302
    assert QualityIncident.objects.get(pk=i.pk).costs.count() == 1


@pytest.mark.parametrize(
    "name",
    ["sheet-print", "part-tag", "appraisal-print", "incident-print", "incident-feedback-print", "action-print"],
)
def test_print_views_refuse_other_roles(client_for, users, kit, name):
    part = quarantined_part(users, kit["unit"], kit["shell"])
    a = appraise(users, part, origin="self_made", outcome="repair")
    i = services.incident_create(by=users["qc"], customer=kit["unit"].customer, description="x")
    ca = services.action_create(
        by=users["qc"],
        appraisal=a,
        problem="p",
        root_cause="r",
        action="a",
        owner_department=Department.objects.create(code="Z1", name="Z1"),
        due_date=timezone.localdate(),
    )
    pk = {
        "sheet-print": sheet(users, kit["unit"]).pk,
        "part-tag": part.pk,
        "appraisal-print": a.pk,
        "incident-print": i.pk,
        "incident-feedback-print": i.pk,
        "action-print": ca.pk,
    }[name]
    response = client_for("qc").get(reverse(f"warranty:{name}", args=[pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for("logistics").get(reverse(f"warranty:{name}", args=[pk])).status_code == 403


def test_customer_claim_and_capa_created_from_appraisal(client_for, users, kit):
    from warranty.models import CorrectiveAction, CustomerClaim

    a = appraise(users, quarantined_part(users, kit["unit"], kit["ctrl"]))
    url = reverse("warranty:customerclaim-create") + f"?appraisal={a.pk}"
    assert client_for("clerk").get(url).status_code == 403
    r = client_for("sales").post(
        url, {"customer": kit["unit"].customer.pk, "reason": "停产损失", "amount_claimed": "5000"}
    )
    assert r.status_code == 302 and CustomerClaim.objects.get().appraisal == a
    dept = Department.objects.create(code="PQ", name="采购部Q", kind=Department.Kind.PURCHASING)
    url = reverse("warranty:action-create") + f"?appraisal={a.pk}"
    assert client_for("production").get(url).status_code == 403
    from django.utils import timezone

    r = client_for("qc").post(
        url,
        {
            "problem": "p",
            "root_cause": "r",
            "action": "a",
            "owner_department": dept.pk,
            "due_date": (timezone.localdate() + timezone.timedelta(days=7)).isoformat(),
        },
    )
    assert r.status_code == 302 and CorrectiveAction.objects.get().appraisal == a


def test_allocation_rule_is_editable_in_admin(client, users):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("boss", password="pw-12345678")
    client.force_login(admin)
    assert client.get(reverse("admin:warranty_allocationrule_changelist")).status_code == 200
    r = client.post(
        reverse("admin:warranty_allocationrule_add"),
        {"name": "新规则", "team_percent": "40", "supplier_percent": "100", "is_active": "on"},
    )
    assert r.status_code == 302
    assert client.get(reverse("admin:warranty_appraisal_changelist")).status_code == 200


def test_sheet_page_shows_the_whole_chain(client_for, users, kit):
    s = sheet(users, kit["unit"])
    part = quarantined_part(users, kit["unit"], kit["ctrl"], sheet_=s)
    a = appraise(users, part)
    services.appraisal_exchange(pk=a.pk, by=users["warehouse"], good_part_serial="G-1")
    page = client_for("clerk").get(s.get_absolute_url()).content.decode()
    assert part.number in page and a.number in page and a.supplier_claim.number in page


def test_record_pages_offer_their_prints_and_what_the_role_may_open(client_for, users, kit):
    s = sheet(users, kit["unit"])
    part = quarantined_part(users, kit["unit"], kit["ctrl"], sheet_=s)
    clerk = client_for("clerk").get(s.get_absolute_url())
    assert [str(label) for label, _url in clerk.context["opens"]] == [
        "登记退回零部件",
        "质量事故报质检部",
    ], "the clerk registers parts and passes incidents, marketing records claims"
    html = clerk.content.decode()
    assert f"{reverse('warranty:part-create')}?sheet={s.pk}" in html
    assert reverse("warranty:sheet-print", args=[s.pk]) in html
    assert (
        f"{reverse('warranty:customerclaim-create')}?sheet={s.pk}"
        in client_for("sales").get(s.get_absolute_url()).content.decode()
    )
    tag = client_for("warehouse").get(part.get_absolute_url())
    assert (
        reverse("warranty:part-tag", args=[part.pk]) in tag.content.decode()
        and "打印退换零件信息单标签" in tag.content.decode()
    )
    labels = dict(tag.context["facts"])
    assert labels["存放位置"] != "—" and labels["数量"] == 1


def test_search_by_number_serial_and_part_serial(client_for, users, kit):
    s = sheet(users, kit["unit"])
    other = sheet(users, accepted_unit()[0])
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    client = client_for("qc")

    def numbers(name, q):
        return [r[0].number for r in client.get(reverse(f"warranty:{name}"), {"q": q}).context["rows"]]

    assert numbers("sheet-list", s.number) == [s.number]
    assert numbers("sheet-list", kit["unit"].serial_number) == [s.number]
    assert numbers("sheet-list", other.customer.code) == [other.number]
    assert numbers("part-list", "P-0001") == [part.number]
    assert numbers("appraisal-list", kit["unit"].serial_number) == [part.appraisal.number]


def test_site_team_is_chosen_from_users_and_reaches_the_quality_job(client_for, users, kit):
    from fieldservice.models import ServiceJob

    s = sheet(users, kit["unit"], is_major=True)
    services.sheet_send(pk=s.pk, by=users["clerk"], first_answer="立即派人")
    qc_url = reverse("warranty:sheet-step", args=[s.pk, "name_qc_team"])
    rnd_url = reverse("warranty:sheet-step", args=[s.pk, "name_rnd_team"])
    page = client_for("qc").get(s.get_absolute_url())
    assert f'value="{users["rnd"].pk}"'.encode() in page.content, "people are picked, not typed"
    html = page.content.decode()
    # Each unit sees its own step only.
    assert qc_url in html and rnd_url not in html
    rnd_html = client_for("rnd").get(s.get_absolute_url()).content.decode()
    assert rnd_url in rnd_html and qc_url not in rnd_html
    qc_post = {"expected_state": "sent", "name_qc_team-people": [users["qc"].pk], "name_qc_team-mode": "onsite"}
    rnd_post = {"expected_state": "sent", "name_rnd_team-people": [users["rnd"].pk], "name_rnd_team-mode": "onsite"}
    # The other unit's step, or a role with none: 403.
    assert client_for("rnd").post(qc_url, qc_post).status_code == 403
    assert client_for("qc").post(rnd_url, rnd_post).status_code == 403
    assert client_for("clerk").post(qc_url, qc_post).status_code == 403
    # A page shown before QC answered the sheet: 409.
    assert client_for("qc").post(qc_url, {**qc_post, "expected_state": "draft"}).status_code == 409
    assert client_for("qc").post(qc_url, qc_post).status_code == 302
    assert not ServiceJob.objects.filter(kind=ServiceJob.Kind.QUALITY).exists(), "R&D has not named its people yet"
    # QC's page posted again: its people are named already.
    assert client_for("qc").post(qc_url, qc_post).status_code == 409
    assert client_for("rnd").post(rnd_url, rnd_post).status_code == 302
    job = ServiceJob.objects.get(kind=ServiceJob.Kind.QUALITY)
    assert set(job.site_team.all()) == {users["qc"], users["rnd"]}
    detail = client_for("clerk").get(reverse("fieldservice:job-detail", args=[job.pk]))
    assert set(detail.context["site_team"]) == {users["qc"], users["rnd"]}
    sheet_page = client_for("clerk").get(s.get_absolute_url()).content.decode()
    assert "品质管理中心和技术研发部均已指定人员" in sheet_page and 'id="site-teams"' in sheet_page


def test_customer_claim_is_approved_by_leadership_and_paid_by_finance_on_its_page(client_for, users, kit):
    claim = services.customer_claim_create(
        by=users["sales"], customer=kit["unit"].customer, reason="停产损失", amount_claimed="6000"
    )
    services.customer_claim_agree(pk=claim.pk, by=users["sales"], amount="4500")

    def step(name):
        return reverse("warranty:customerclaim-step", args=[claim.pk, name])

    leader_page = client_for("leader").get(claim.get_absolute_url()).content.decode()
    assert step("approve") in leader_page and step("pay") not in leader_page
    assert step("approve") not in client_for("sales").get(claim.get_absolute_url()).content.decode()
    approve = {"expected_state": "agreed", "approve-comment": "同意按一天产量赔付"}
    for who in ("sales", "finance", "gm"):
        assert client_for(who).post(step("approve"), approve).status_code == 403
    assert client_for("leader").post(step("approve"), {**approve, "expected_state": "claimed"}).status_code == 409
    assert client_for("leader").post(step("approve"), approve).status_code == 302
    # The same page posted twice by another leader: 409.
    assert client_for("leader").post(step("approve"), {**approve, "form_token": ""}).status_code == 409
    pay = {"expected_state": "approved", "pay-amount": "4500", "pay-on": timezone.localdate().isoformat()}
    assert client_for("sales").post(step("pay"), pay).status_code == 403, "marketing no longer pays alone"
    assert client_for("finance").post(step("pay"), {**pay, "expected_state": "agreed"}).status_code == 409
    assert client_for("finance").post(step("pay"), pay).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.approved_by, claim.paid_by) == ("paid", users["leader"], users["finance"])
    page = client_for("sales").get(claim.get_absolute_url()).content.decode().split("<main", 1)[1]
    assert "赔付已支付" in page and "货款到账" not in page and "同意按一天产量赔付" in page


def test_customer_claim_waits_in_each_roles_todo(users, kit):
    from warranty.todo import sections

    def titles(user):
        return [str(s.title) for s in sections(user)]

    claim = services.customer_claim_create(
        by=users["sales"], customer=kit["unit"].customer, reason="停产损失", amount_claimed="6000"
    )
    assert "客户索赔：协商金额" in titles(users["sales"])
    services.customer_claim_agree(pk=claim.pk, by=users["sales"], amount="4500")
    assert "客户索赔：审批协商金额" in titles(users["leader"]) and "客户索赔：协商金额" not in titles(users["sales"])
    services.customer_claim_approve(pk=claim.pk, by=users["leader"])
    assert "客户索赔：支付已批准的金额" in titles(users["finance"])
    assert "客户索赔：审批协商金额" not in titles(users["leader"])
