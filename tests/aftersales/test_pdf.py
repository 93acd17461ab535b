import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from aftersales.models import ArchivedDocument, ImmutableRecordError
from aftersales.pdf import archive_pdf, render_pdf
from tests.aftersales.factories import CustomerFactory

TEXT = "客户来电：箱式电阻炉温控仪表显示异常，加热元件不升温，请安排技术人员尽快上门维修。"


def pdf_fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = bool(
                descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
            fonts.add((str(font["/BaseFont"]), embedded))
    return fonts


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_chinese_pdf_embeds_a_cjk_font_and_text_round_trips():
    pdf = render_pdf(
        "print/sample.html",
        {"form_title": "受理售后技术服务的报告", "form_code": "YD/QR001", "number": "WX-20261128-0007", "text": TEXT},
    )
    assert pdf.startswith(b"%PDF-")
    fonts = pdf_fonts(pdf)
    assert any("CJK" in name and embedded for name, embedded in fonts), fonts
    text = squash(pdf_text(pdf))
    assert squash(TEXT) in text, "the extracted text equals the input"
    assert "受理售后技术服务的报告" in text and "WX-20261128-0007" in text and "YD/QR001" in text


def test_pdf_draws_a_qr_code_when_given_the_record_url():
    without = render_pdf("print/sample.html", {"form_title": "表", "text": "x"})
    with_qr = render_pdf("print/sample.html", {"form_title": "表", "text": "x", "record_url": "http://h/r/1/"})
    assert b"/Subtype /Image" in with_qr or len(with_qr) > len(without)


@pytest.mark.django_db
def test_archive_is_immutable_and_keyed_by_sha256(users):
    customer = CustomerFactory()
    pdf = render_pdf("print/sample.html", {"form_title": "表", "text": "归档"})
    doc = archive_pdf(customer, kind="test", title="测试归档", pdf=pdf, by=users["clerk"])
    import hashlib

    assert doc.sha256 == hashlib.sha256(pdf).hexdigest()
    assert doc.file.read() == pdf
    assert archive_pdf(customer, kind="test", title="again", pdf=pdf).pk == doc.pk
    doc.title = "changed"
    with pytest.raises(ImmutableRecordError):
        doc.save()
    with pytest.raises(ImmutableRecordError):
        doc.delete()
    assert ArchivedDocument.objects.get(pk=doc.pk).title == "测试归档"


@pytest.mark.django_db
def test_verify_page_tells_whether_a_pdf_matches(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    customer = CustomerFactory()
    pdf = render_pdf("print/sample.html", {"form_title": "表", "text": "核验"})
    doc = archive_pdf(customer, kind="test", title="核验", pdf=pdf)
    url = reverse("aftersales:archive-verify", args=[doc.verify_code])
    same = client.post(url, {"pdf": SimpleUploadedFile("a.pdf", pdf, "application/pdf")})
    assert "与归档原件一致" in same.content.decode()
    other = client.post(url, {"pdf": SimpleUploadedFile("b.pdf", pdf + b"%tampered", "application/pdf")})
    assert "不一致" in other.content.decode()
    # Downloading the archived original needs an account that may see the record.
    download = reverse("aftersales:archive-download", args=[doc.pk])
    assert client.get(download).status_code == 302
    c = client.__class__()
    c.force_login(users["clerk"])
    response = c.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf


@pytest.mark.django_db
def test_a_pdf_can_carry_its_own_verification_code():
    import uuid

    from aftersales.pdf import verify_url

    code = uuid.uuid4()
    customer = CustomerFactory()
    doc = archive_pdf(customer, kind="test", title="自带核验码", pdf=b"%PDF-1.7 demo", verify_code=code)
    assert doc.verify_code == code and str(code) in verify_url(doc)
