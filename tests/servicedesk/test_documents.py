"""技术文件更新 (售后服务控制程序 6.1 c): a new version of a model's document goes to every customer
with units of that model, each sending tracked; the unit page lists the documents."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.servicedesk import services
from aftersales.servicedesk.models import DocumentDelivery, TechnicalDocument
from aftersales.workflow import PermissionRefused, RuleViolation, TransitionRefused
from tests.aftersales.factories import ContactFactory, CustomerFactory, ProductModelFactory, UnitFactory

pytestmark = pytest.mark.django_db


def pdf(name="manual.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 manual v2", content_type="application/pdf")


@pytest.fixture
def fleet():
    """Two customers with units of the model (one without an e-mail address), one with another model."""
    model = ProductModelFactory(code="XD-1200")
    with_mail, without_mail, other = CustomerFactory(), CustomerFactory(), CustomerFactory()
    ContactFactory(customer=with_mail, email="li@example.cn")
    ContactFactory(customer=with_mail, email="wang@example.cn")
    UnitFactory(customer=with_mail, product_model=model)
    UnitFactory(customer=with_mail, product_model=model)
    UnitFactory(customer=without_mail, product_model=model)
    UnitFactory(customer=other)
    return model, with_mail, without_mail, other


def test_publishing_sends_the_file_to_every_customer_of_the_model_once(
    users, fleet, django_capture_on_commit_callbacks
):
    model, with_mail, without_mail, other = fleet
    document = services.document_create(by=users["techdept"], product_model=model, title="使用说明书", kind="manual")
    services.document_version_add(
        pk=document.pk, by=users["techdept"], version="V2.0", file=pdf(), notes="新增校准章节"
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = services.document_publish(pk=document.pk, by=users["techdept"])
    deliveries = {d.customer_id: d for d in DocumentDelivery.objects.filter(version=version)}
    assert set(deliveries) == {with_mail.pk, without_mail.pk}, "one per customer with units of the model"
    assert deliveries[with_mail.pk].sent_at is not None
    assert deliveries[with_mail.pk].recipients == "li@example.cn, wang@example.cn"
    assert deliveries[without_mail.pk].sent_at is None and "电子邮箱" in deliveries[without_mail.pk].problem
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["li@example.cn", "wang@example.cn"] and "V2.0" in message.subject
    assert message.attachments[0][1] == b"%PDF-1.4 manual v2"
    services.document_delivery_send(deliveries[with_mail.pk].pk)
    assert len(mail.outbox) == 1, "a copy sent is not sent again"
    with pytest.raises(TransitionRefused):
        services.document_publish(pk=document.pk, by=users["techdept"])


def test_who_keeps_the_documents(users, fleet):
    model = fleet[0]
    with pytest.raises(PermissionRefused):
        services.document_create(by=users["clerk"], product_model=model, title="图纸", kind="drawing")
    document = services.document_create(by=users["rnd"], product_model=model, title="图纸", kind="drawing")
    with pytest.raises(RuleViolation):
        services.document_create(by=users["rnd"], product_model=model, title="图纸", kind="drawing")
    services.document_version_add(pk=document.pk, by=users["rnd"], version="A", file=pdf())
    with pytest.raises(RuleViolation):
        services.document_version_add(pk=document.pk, by=users["rnd"], version="A", file=pdf())
    with pytest.raises(PermissionRefused):
        services.document_publish(pk=document.pk, by=users["clerk"])


def test_the_pages_and_the_unit_page(users, fleet, client_for):
    model, with_mail, _without, _other = fleet
    techdept = client_for("techdept")
    response = techdept.post(
        reverse("servicedesk:document-list"), {"product_model": model.pk, "title": "固件说明", "kind": "firmware"}
    )
    document = TechnicalDocument.objects.get(title="固件说明")
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    step = reverse("servicedesk:document-step", kwargs={"pk": document.pk, "step": "version"})
    assert techdept.post(step, {"version": "1.1", "notes": "修正", "file": pdf("fw.pdf")}).status_code == 302
    publish = reverse("servicedesk:document-step", kwargs={"pk": document.pk, "step": "publish"})
    assert client_for("clerk").post(publish).status_code == 403
    assert techdept.post(publish).status_code == 302
    page = client_for("clerk").get(document.get_absolute_url()).content.decode()
    assert with_mail.name in page and "1.1" in page
    unit = with_mail.units.first()
    lookup = client_for("clerk").get(reverse("servicedesk:warranty-lookup"), {"serial": unit.serial_number})
    assert "固件说明" in lookup.content.decode()
    assert client_for("sales").get(reverse("servicedesk:document-list")).status_code == 403


def test_the_commitments_report_counts_documents_sent(users, fleet, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from aftersales.reports import selectors as report_selectors
    from aftersales.reports import tables

    model = fleet[0]
    document = services.document_create(by=users["techdept"], product_model=model, title="说明书", kind="manual")
    services.document_version_add(pk=document.pk, by=users["techdept"], version="3", file=pdf())
    with django_capture_on_commit_callbacks(execute=True):
        services.document_publish(pk=document.pk, by=users["techdept"])
    today = timezone.localdate()
    data = report_selectors.commitments(
        report_selectors.ReportFilter(date_from=today - timedelta(days=1), date_to=today)
    )
    [row] = data["documents"]
    assert (row["version"], row["sent"], row["unsent"]) == ("3", 1, 1)
    table = tables.commitments(data)[0][-1]
    assert table.rows[0][-2:] == [1, 1]
