"""Images are checked for their pixels before they are decoded: a bomb or an oversize image is
refused with a clear message, a large one is stored downscaled and upright."""

import base64
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from aftersales.attachments import MAX_STORED_SIDE, attachment_add, attachments_of
from aftersales.models import Attachment
from aftersales.signatures import decode_signature_png
from aftersales.workflow import RuleViolation
from fieldservice.models import FeedbackFormA
from tests.aftersales.factories import CustomerFactory
from tests.conftest import make_user
from tests.fieldservice import factories as f
from tests.security.fuzzing import png
from tests.security.test_signing import _customer_post, _link_path
from tests.servicedesk.factories import case_in

pytestmark = pytest.mark.django_db

TOO_MANY_PIXELS = "像素过多"


def _upload(data: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def _jpeg(width: int, height: int, *, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 4, height // 4))  # a corner to see which way is up
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def record(users):
    return CustomerFactory()


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (12000, 12000), (8000, 5001)])
def test_an_image_with_too_many_pixels_is_refused_and_not_stored(users, record, width, height):
    data = png(width, height)
    assert len(data) < 120_000  # a few KB (the 30000 × 30000 one: ~110 KB) on the wire
    with pytest.raises(ValidationError) as refused:
        attachment_add(record, _upload(data), by=users["clerk"])
    assert TOO_MANY_PIXELS in refused.value.messages[0] and "40" in refused.value.messages[0]
    assert not Attachment.objects.exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(users, record):
    """Pillow raises at twice its own limit while reading the header; the data is never read."""
    with pytest.raises(ValidationError) as refused:
        attachment_add(record, _upload(png(30000, 30000, rows=b"not even compressed")), by=users["clerk"])
    assert TOO_MANY_PIXELS in refused.value.messages[0]


def test_a_large_photo_is_stored_downscaled_upright_in_its_format(users, record):
    # 6000 × 4000 taken with the phone on its side: EXIF orientation 6 (turn 90° clockwise to view).
    att = attachment_add(record, _upload(_jpeg(6000, 4000, orientation=6), "IMG_0001.JPG"), by=users["clerk"])
    with att.file.open("rb") as fh:
        stored = fh.read()
    image = Image.open(BytesIO(stored))
    assert image.format == "JPEG" and att.content_type == "image/jpeg"
    assert image.size == (1600, MAX_STORED_SIDE)  # upright: taller than wide
    assert image.getexif().get(0x0112) is None  # turned already, not to be turned again
    assert att.size == len(stored) and att.original_name == "IMG_0001.JPG"
    assert att.file.name.endswith(".jpg")


def test_a_small_image_is_stored_as_it_came(users, record):
    data = f.png_bytes()
    att = attachment_add(record, _upload(data), by=users["clerk"])
    with att.file.open("rb") as fh:
        assert fh.read() == data


def test_a_large_png_keeps_its_format(users, record):
    att = attachment_add(record, _upload(png(6000, 100)), by=users["clerk"])
    with att.file.open("rb") as fh:
        image = Image.open(BytesIO(fh.read()))
    assert (image.format, image.size) == ("PNG", (MAX_STORED_SIDE, 40))


def test_a_bomb_on_the_case_page_is_refused_with_the_message(client_for, users):
    case = case_in("recorded", users)
    url = reverse("servicedesk:case-step", args=[case.pk, "attach"])
    response = client_for("clerk").post(url, {"attach-upload": _upload(png(30000, 30000))})
    assert response.status_code == 400 and TOO_MANY_PIXELS in response.content.decode()
    assert not attachments_of(case).exists()


def test_a_bomb_as_the_customers_stamp_photo_is_refused_and_the_form_stays_unsigned(users, client):
    form = f.awaiting_customer_form(users)
    response = client.post(_link_path(users, form), _customer_post(stamp=_upload(png(30000, 30000), "stamp.png")))
    assert response.status_code == 400 and TOO_MANY_PIXELS in response.content.decode()
    assert FeedbackFormA.objects.get(pk=form.pk).status == FeedbackFormA.Status.AWAITING_CUSTOMER


def test_a_large_stamp_photo_is_stored_downscaled_for_the_pdf(users, client):
    form = f.awaiting_customer_form(users)
    stamp = SimpleUploadedFile("stamp.jpg", _jpeg(5000, 3000), content_type="image/jpeg")
    assert client.post(_link_path(users, form), _customer_post(stamp=stamp)).status_code == 200
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert form.status == FeedbackFormA.Status.SIGNED
    with form.stamp.file.open("rb") as fh:
        assert Image.open(BytesIO(fh.read())).size == (MAX_STORED_SIDE, 1440)


def test_a_bomb_as_a_receipt_or_a_progress_photo_is_refused(users, client_for):
    job = f.on_site_job(users)
    tech = client_for("tech1")
    expense = tech.post(
        reverse("fieldservice:job-step", args=[job.pk, "expense"]),
        {
            "category": "transport",
            "amount": "120",
            "spent_on": timezone.localdate().isoformat(),
            "receipts": _upload(png(30000, 30000), "receipt.png"),
        },
    )
    assert expense.status_code == 400 and TOO_MANY_PIXELS in expense.content.decode()
    report = tech.post(
        reverse("fieldservice:job-step", args=[job.pk, "report"]),
        {"text": "到达现场", "photos": _upload(png(12000, 12000))},
    )
    assert report.status_code == 400 and TOO_MANY_PIXELS in report.content.decode()
    assert not Attachment.objects.exists() and not job.expenses.exists() and not job.reports.exists()


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (12000, 12000), (3000, 2000)])
def test_a_drawn_signature_with_too_many_pixels_is_refused_before_it_is_decoded(width, height):
    data_url = "data:image/png;base64," + base64.b64encode(png(width, height)).decode()
    with pytest.raises(RuleViolation) as refused:
        decode_signature_png(data_url)
    assert refused.value.message == "签名图像过大。"


def test_the_superuser_cannot_add_a_workflow_record_past_the_services_in_the_admin(client):
    """Found by the fuzz: the read-only workflow admins saved an empty record (or crashed)."""
    from warranty.models import QualitySheet

    client.force_login(make_user("boss", is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:warranty_qualitysheet_add")).status_code == 403
    assert client.post(reverse("admin:warranty_qualitysheet_add"), {}).status_code == 403
    assert not QualitySheet.objects.exists()
