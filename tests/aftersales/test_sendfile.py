"""Stored files: checked by the view, then sent by the web server when one is configured; 304 when unchanged."""

import pytest
from django.test import override_settings
from django.urls import reverse

from aftersales.pdf import archive_pdf
from tests.aftersales.factories import CustomerFactory
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived_and_allowed(client):
    doc = archive_pdf(CustomerFactory(), kind="test", title="质量报告", pdf=b"%PDF-1.4 bytes")
    client.force_login(make_user("boss", is_superuser=True, is_staff=True))
    return doc, reverse("aftersales:archive-download", args=[doc.pk])


def test_without_a_front_server_django_streams_it_with_a_strong_etag(client, archived_and_allowed):
    doc, url = archived_and_allowed
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 bytes"
    assert response["ETag"] == f'"{doc.sha256}"' and "attachment" in response["Content-Disposition"]
    assert "''%E8%B4%A8%E9%87%8F" in response["Content-Disposition"], "the Chinese title survives"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


@override_settings(SENDFILE_BACKEND="nginx", SENDFILE_URL_PREFIX="/protected-media/")
def test_behind_nginx_the_view_only_names_the_file(client, archived_and_allowed):
    doc, url = archived_and_allowed
    response = client.get(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{doc.file.name}"
    assert response["Content-Type"] == "application/pdf"


@override_settings(SENDFILE_BACKEND="nginx")
def test_the_check_comes_first(client, archived_and_allowed):
    _doc, url = archived_and_allowed
    client.force_login(make_user("nobody"))
    response = client.get(url)
    assert response.status_code == 403 and "X-Accel-Redirect" not in response
