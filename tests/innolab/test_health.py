import pytest
from django.db import connection
from django.test import override_settings

from innolab import health


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_naming_an_unreachable_broker(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("unreachable")
    assert body["status"] == "unavailable"


@pytest.mark.django_db
def test_healthz_is_503_naming_an_unreachable_database(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"].startswith("unreachable")


@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.django_db
def test_healthz_is_exempt_from_the_https_redirect(client):
    assert client.get("/healthz/").status_code == 200
    assert client.get("/").status_code == 301


def test_broker_check_answers_quickly_when_nothing_listens():
    import time

    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        started = time.monotonic()
        ok, _ = health.broker_check()
    assert not ok
    assert time.monotonic() - started < 3
