"""技术支持程序 3.2–3.3: the technical department escalates what it cannot do to the product director,
who directs the product department to send people; the results and documents are filed (备案) and
archived (归档)."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from aftersales.attachments import attachments_of
from aftersales.models import ArchivedDocument
from aftersales.servicedesk import services
from aftersales.servicedesk.models import ServiceCase
from aftersales.servicedesk.todo import sections
from aftersales.workflow import PermissionRefused, TransitionRefused
from tests.fieldservice.factories import png_upload
from tests.servicedesk.factories import record_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_field_service")]
E = ServiceCase.Escalation


def with_techdept(users):
    case = record_case(users["clerk"])
    return services.case_hand_to_techdept(pk=case.pk, by=users["clerk"])


def step(case, name):
    return reverse("servicedesk:case-step", kwargs={"pk": case.pk, "step": name})


def todo(user):
    with translation.override("zh-hans"):
        return {str(s.title): s for s in sections(user)}


def test_escalate_direct_file_and_archive(users, client_for):
    case = with_techdept(users)
    techdept, director = client_for("techdept"), client_for("pdirector")
    assert step(case, "escalate") in techdept.get(case.get_absolute_url()).content.decode()
    assert (
        techdept.post(step(case, "escalate"), {"escalate-reason": "需要重新设计控制板，技术部无此能力"}).status_code
        == 302
    )
    case = ServiceCase.objects.get(pk=case.pk)
    assert case.escalation == E.ESCALATED
    assert case.number in str(todo(users["pdirector"])["升级给您的技术支持：请指示产品部门"].items)

    people = [users["production"].pk, users["rnd"].pk]
    response = director.post(
        step(case, "direct"), {"direct-people": people, "direct-direction": "产品部派两人现场更换控制板"}
    )
    assert response.status_code == 302
    case = ServiceCase.objects.get(pk=case.pk)
    assert case.escalation == E.DIRECTED and {p.pk for p in case.directed_people.all()} == set(people)

    page_url = step(case, "file-support")
    assert director.get(page_url).status_code == 200
    response = techdept.post(page_url, {"result": "已更换控制板，设备恢复运行", "documents": [png_upload()]})
    assert response.status_code == 302
    case = ServiceCase.objects.get(pk=case.pk)
    assert case.escalation == E.FILED and len(attachments_of(case)) == 1
    archived = ArchivedDocument.objects.get(kind="support_filing")
    with archived.file.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(fh.read())).pages)
    for expected in (
        "技术支持备案",
        "技术部无此能力",
        "产品部派两人",
        "已更换控制板",
        "production",
        "提请人：techdept",
    ):
        assert expected in text.replace(" ", "").replace("\n", "")


def test_the_wrong_roles_are_refused(users, client_for):
    case = with_techdept(users)
    assert client_for("clerk").post(step(case, "escalate"), {"escalate-reason": "x"}).status_code == 403
    with pytest.raises(PermissionRefused):
        services.case_escalate(pk=case.pk, by=users["pdirector"], reason="x")
    services.case_escalate(pk=case.pk, by=users["techdept"], reason="需要研发支持")
    with pytest.raises(PermissionRefused):
        services.case_direct_support(pk=case.pk, by=users["techdept"], people=[users["rnd"]], direction="x")
    with pytest.raises(TransitionRefused):
        services.case_file_support(pk=case.pk, by=users["techdept"], result="还没派人")
    with pytest.raises(TransitionRefused):
        services.case_escalate(pk=case.pk, by=users["techdept"], reason="再次")


def test_a_closed_consultation_is_not_escalated(users):
    case = record_case(users["clerk"])
    with pytest.raises(TransitionRefused):
        services.case_escalate(pk=case.pk, by=users["techdept"], reason="x")
