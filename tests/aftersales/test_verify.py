"""The printed verification code can be typed in; the public pages speak Chinese by default."""

import uuid

import pytest
from django.urls import reverse

from aftersales.pdf import archive_pdf
from tests.aftersales.factories import CustomerFactory

pytestmark = pytest.mark.django_db
LOOKUP = "/verify/"


def archived():
    return archive_pdf(CustomerFactory(), kind="test", title="测试文件", pdf=b"%PDF-1.4 test")


def test_the_typed_code_leads_to_the_documents_verification(client):
    doc = archived()
    assert reverse("aftersales:verify-lookup") == LOOKUP
    response = client.get(LOOKUP, {"code": f"  {str(doc.verify_code).upper()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("aftersales:archive-verify", args=[doc.verify_code])


def test_a_mistyped_or_unknown_code_is_answered_in_chinese(client):
    bad = client.get(LOOKUP, {"code": "12345"})
    assert bad.status_code == 400 and "验证码" in bad.content.decode()
    unknown = client.get(LOOKUP, {"code": str(uuid.uuid4())})
    assert unknown.status_code == 404 and "没有" in unknown.content.decode()
    assert client.get(LOOKUP).status_code == 200


def test_the_public_pages_are_chinese_whatever_the_browser_asks(client):
    doc = archived()
    url = reverse("aftersales:archive-verify", args=[doc.verify_code])
    english_browser = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = english_browser.content.decode()
    assert "核验打印单据" in page
    assert "Verify a printed document" not in page
    client.cookies["django_language"] = "en"
    assert "Verify a printed document" in client.get(url).content.decode(), "a chosen language is kept"


def test_a_job_code_printed_on_the_pair_leads_to_the_job_check(client, users):
    from tests.fieldservice.factories import on_site_job

    job = on_site_job(users)
    response = client.get(LOOKUP, {"code": str(job.verify_code)})
    assert response.status_code == 302
    assert response["Location"] == reverse("fieldservice:job-verify", args=[job.verify_code])
