"""The customer's signing page takes the browser's position as a hint: a value that is no position
is dropped and the signature goes through."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldservice import services
from fieldservice.models import FeedbackFormA
from tests.fieldservice import factories as f

pytestmark = pytest.mark.django_db


def _customer_post(**extra) -> dict:
    today = timezone.localdate().isoformat()
    return {
        **{k: v for k, v in f.CUSTOMER_DATA.items() if v is not None},
        "arrival_date": today,
        "departure_date": today,
        "signer_name": "李客户",
        "signer_phone": "13912345678",
        "signature": f.signature_data_url(),
        "stamp": f.png_upload(),
        **extra,
    }


def _link_path(users, form) -> str:
    """The customer's own link for form A, the signer being a registered contact of the customer."""
    f.register_signer(form.job)
    url = services.form_a_customer_link(pk=form.pk, by=users["tech1"])
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.parametrize(
    ("position", "stored"),
    [
        ({"latitude": "inf", "longitude": "113.134"}, (None, None, None)),
        ({"latitude": "nan", "longitude": "nan", "accuracy": "nan"}, (None, None, None)),
        ({"latitude": "abc", "longitude": "def", "accuracy": "ghi"}, (None, None, None)),
        ({"latitude": "1e300", "longitude": "-1e300", "accuracy": "1e300"}, (None, None, None)),
        ({"latitude": "100000", "longitude": "113.134", "accuracy": "10"}, (None, None, None)),
        ({"latitude": "-Infinity", "longitude": "1e-400", "accuracy": "12"}, (None, None, None)),
        ({"latitude": "27.827412", "longitude": "113.134021", "accuracy": "-5"}, ("27.827412", "113.134021", None)),
        ({"latitude": "27.827412", "longitude": "113.134021", "accuracy": "1e300"}, ("27.827412", "113.134021", None)),
        ({"latitude": "27.827412", "longitude": "113.134021", "accuracy": "12.7"}, ("27.827412", "113.134021", 12)),
        ({"latitude": "-90", "longitude": "180", "accuracy": "0"}, ("-90", "180", 0)),
        ({"latitude": "", "longitude": "", "accuracy": ""}, (None, None, None)),
    ],
)
def test_a_bad_position_is_dropped_and_the_customer_still_signs(users, client, position, stored):
    form = f.awaiting_customer_form(users)
    response = client.post(_link_path(users, form), _customer_post(**position))
    assert response.status_code == 200
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert form.status == FeedbackFormA.Status.SIGNED
    sig = form.customer_signature
    latitude, longitude, accuracy = stored
    assert sig.latitude == (Decimal(latitude) if latitude else None)
    assert sig.longitude == (Decimal(longitude) if longitude else None)
    assert sig.location_accuracy_m == accuracy


def test_a_bad_position_on_the_tablet_is_dropped_too(users, client_for):
    form = f.awaiting_customer_form(users)
    f.register_signer(form.job)
    tablet = client_for("tech1")
    screen = tablet.post(reverse("fieldservice:forma-handover", args=[form.pk])).url
    response = tablet.post(screen, _customer_post(latitude="nan", longitude="inf", accuracy="-5"))
    assert response.status_code == 200
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert form.status == FeedbackFormA.Status.SIGNED
    assert (form.customer_signature.latitude, form.customer_signature.location_accuracy_m) == (None, None)
