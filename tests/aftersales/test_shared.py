"""Signatures, signing links, attachments, one-time submits, keyset pages."""

import base64
import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from aftersales.attachments import attachment_add, attachments_of
from aftersales.idempotency import submit_once
from aftersales.models import Customer, ImmutableRecordError, Signature, SigningLink
from aftersales.pagination import keyset_page
from aftersales.signatures import (
    signature_capture,
    signing_link_consume,
    signing_link_create,
    signing_link_resolve,
    signing_token,
)
from aftersales.workflow import RuleViolation, TransitionRefused
from tests.aftersales.factories import CustomerFactory


def png_data_url(ink: bool = True) -> str:
    image = Image.new("RGBA", (300, 120), (255, 255, 255, 0))
    if ink:
        ImageDraw.Draw(image).line([(10, 60), (150, 20), (290, 100)], fill=(16, 32, 74, 255), width=3)
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_signature_is_stored_immutably_with_who_and_how(users):
    customer = CustomerFactory()
    sig = signature_capture(
        customer,
        purpose="form_a",
        data_url=png_data_url(),
        signer_name="黄建华",
        signer_phone="13807331001",
        method=Signature.Method.TABLET,
        captured_by=users["tech1"],
        latitude="27.8274",
        longitude="113.1340",
    )
    assert sig.signer_name == "黄建华" and sig.captured_by == users["tech1"] and sig.signer_user is None
    assert len(sig.sha256) == 64 and sig.image.read().startswith(b"\x89PNG")
    assert str(sig.latitude) == "27.827400"
    sig.signer_name = "别人"
    with pytest.raises(ImmutableRecordError):
        sig.save()


@pytest.mark.django_db
def test_blank_or_garbage_signature_is_refused():
    customer = CustomerFactory()
    for data in ("", "data:image/png;base64,AAAA", png_data_url(ink=False), "javascript:alert(1)"):
        with pytest.raises(RuleViolation):
            signature_capture(customer, purpose="x", data_url=data, signer_name="某人", method="tablet")
    with pytest.raises(RuleViolation):
        signature_capture(customer, purpose="x", data_url=png_data_url(), signer_name=" ", method="tablet")


@pytest.mark.django_db
def test_signing_link_is_single_use_expiring_and_tamper_proof(users):
    customer = CustomerFactory()
    link, url = signing_link_create(customer, purpose="form_a", by=users["tech1"])
    token = signing_token(link)
    # The token is timestamped to the second: the one in the URL may be a second older.
    assert signing_link_resolve(url.rstrip("/").rsplit("/", 1)[1]).pk == link.pk
    assert signing_link_resolve(token).pk == link.pk
    with pytest.raises(TransitionRefused):
        signing_link_resolve(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    signing_link_consume(token)
    with pytest.raises(TransitionRefused, match="used|使用"):
        signing_link_consume(token)
    expired, _url = signing_link_create(customer, purpose="other", by=users["tech1"], ttl=timedelta(seconds=-1))
    with pytest.raises(TransitionRefused, match="expired|过期"):
        signing_link_resolve(signing_token(expired))


@pytest.mark.django_db
def test_a_new_link_revokes_the_older_one(users):
    customer = CustomerFactory()
    old, _ = signing_link_create(customer, purpose="form_a", by=users["tech1"])
    new, _ = signing_link_create(customer, purpose="form_a", by=users["tech1"])
    with pytest.raises(TransitionRefused):
        signing_link_resolve(signing_token(old))
    assert signing_link_resolve(signing_token(new)).pk == new.pk
    assert SigningLink.objects.filter(revoked_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_public_signing_page_refuses_bad_links_clearly(client):
    response = client.get("/s/not-a-token/")
    assert response.status_code == 410
    assert "签字链接无效" in response.content.decode()


@pytest.mark.django_db
def test_attachments_are_checked_by_content_and_size(users, settings):
    customer = CustomerFactory()
    att = attachment_add(customer, SimpleUploadedFile("现场.png", png_bytes(), "image/png"), by=users["clerk"])
    assert att.content_type == "image/png" and list(attachments_of(customer)) == [att]
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", "image/jpeg")
    with pytest.raises(ValidationError):
        attachment_add(customer, fake, by=users["clerk"])
    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        attachment_add(customer, SimpleUploadedFile("big.png", png_bytes(), "image/png"), by=users["clerk"])


@pytest.mark.django_db
def test_attachment_file_needs_view_permission_on_the_record(client_for, users):
    customer = CustomerFactory()
    att = attachment_add(customer, SimpleUploadedFile("a.png", png_bytes(), "image/png"), by=users["clerk"])
    assert client_for("clerk").get(f"/files/attachment/{att.pk}/").status_code == 200
    from tests.conftest import make_user

    nobody = make_user("nobody")
    from django.test import Client

    c = Client()
    c.force_login(nobody)
    assert c.get(f"/files/attachment/{att.pk}/").status_code == 403


@pytest.mark.django_db
def test_submit_once_returns_the_first_result_for_a_repeated_token(users):
    token = uuid.uuid4()
    calls = []

    def create():
        calls.append(1)
        return CustomerFactory()

    first, created = submit_once(token, users["clerk"], create)
    again, created_again = submit_once(token, users["clerk"], create)
    assert created and not created_again and again == first and len(calls) == 1


@pytest.mark.django_db
def test_keyset_pages_walk_every_row_once_without_offset(django_assert_max_num_queries):
    for i in range(23):
        CustomerFactory(name=f"客户{i:02d}")
    seen, cursor = [], None
    while True:
        with django_assert_max_num_queries(1):
            page = keyset_page(Customer.objects.all(), ordering=("-created_at", "-pk"), cursor=cursor, size=5)
        seen += [c.pk for c in page.items]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert len(seen) == 23 and len(set(seen)) == 23
    assert seen == list(Customer.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))
    assert keyset_page(Customer.objects.all(), cursor="garbage!!", size=5).is_first


def test_timezone_is_shanghai():
    assert str(timezone.get_default_timezone()) == "Asia/Shanghai"


@pytest.mark.django_db
def test_a_record_linked_twice_is_listed_once(users):
    from aftersales.links import link_records, linked_records

    case_like, job_like = CustomerFactory(), CustomerFactory()
    link_records(case_like, job_like, "onsite_repair", by=users["clerk"])
    link_records(case_like, job_like, "site_visit", by=users["clerk"])
    link_records(case_like, job_like, "onsite_repair", by=users["clerk"])  # idempotent
    assert [linked.record for linked in linked_records(case_like)] == [job_like]
    assert [linked.outgoing for linked in linked_records(job_like)] == [False]


@pytest.mark.django_db
def test_one_rule_shows_people_by_name_everywhere():
    from django.template import Context, Template

    from tests.conftest import make_user

    chen = make_user("chengang", first_name="刚", last_name="陈")
    anna = make_user("aberg", first_name="Anna", last_name="Berg")
    nameless = make_user("qc9")
    assert [str(chen), chen.get_full_name()] == ["陈刚", "陈刚"], "not the username, not 刚 陈"
    assert [str(anna), anna.get_full_name()] == ["Anna Berg", "Anna Berg"]
    assert str(nameless) == "qc9"
    rendered = Template("{{ a }} {{ a.get_full_name }}").render(Context({"a": chen}))
    assert rendered == "陈刚 陈刚"
