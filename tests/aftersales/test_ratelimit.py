"""The public pages (signing links, archive verification) slow down one address that hammers them."""

import uuid

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("aftersales:sign-link", args=["not-a-real-token"]),
        lambda: reverse("aftersales:archive-verify", args=[uuid.uuid4()]),
    ],
    ids=["signing link", "archive verification"],
)
def test_one_address_is_refused_after_thirty_requests_a_minute(client, url):
    path = url()
    statuses = [client.get(path, REMOTE_ADDR="10.1.1.1").status_code for _ in range(30)]
    assert 429 not in statuses
    refused = client.get(path, REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "请求过于频繁" in refused.content.decode()
    assert client.get(path, REMOTE_ADDR="10.1.1.2").status_code != 429, "another address is served"
