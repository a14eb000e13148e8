"""Outgoing e-mail is recorded with the change that caused it and is never lost or doubled."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from community import services, tasks
from community.models import OutgoingEmail
from innolab.celery import app as celery_app

pytestmark = pytest.mark.django_db


def queue(**kwargs):
    kwargs.setdefault("to", "reader@example.gov")
    kwargs.setdefault("kind", "test_message")
    kwargs.setdefault("context", {"name": "Reader"})
    return services.email_queue(**kwargs)


def test_email_is_recorded_then_delivered_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue()
        assert OutgoingEmail.objects.get(pk=email.pk).status == "pending"
        assert mailoutbox == []
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["reader@example.gov"]
    assert message.subject == "innolab: test message"
    assert "Hello Reader" in message.body and "If you can read it" in message.body
    html = message.alternatives[0][0]
    assert "Hello Reader" in html and "<html" in html
    # text and HTML share the layout's footer
    assert "because you have an account on innolab" in message.body
    assert "because you have an account on innolab" in html


def test_email_is_not_recorded_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not OutgoingEmail.objects.exists()


def test_delivering_twice_sends_once(mailoutbox):
    email = queue()
    assert tasks.email_deliver.delay(email.pk).get() == "sent"
    assert tasks.email_deliver.delay(email.pk).get() == "skipped"
    assert len(mailoutbox) == 1


def test_a_record_claimed_by_another_worker_is_skipped(mailoutbox):
    email = queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(status="sending", claimed_at=timezone.now())
    assert services.email_deliver(email_id=email.pk) == "skipped"
    assert services.email_sweep()["sent"] == 0
    assert mailoutbox == []


def test_sweep_sends_what_was_never_queued(mailoutbox):
    email = queue()  # outside on-commit capture: its task never ran, as with a broker outage
    assert services.email_sweep()["sent"] == 0  # still within the grace period
    later = timezone.now() + services.SWEEP_GRACE + timedelta(seconds=1)
    assert services.email_sweep(now=later)["sent"] == 1
    assert services.email_sweep(now=later)["sent"] == 0
    email.refresh_from_db()
    assert email.status == "sent"
    assert len(mailoutbox) == 1


def test_sweep_recovers_a_record_left_sending_by_a_dead_worker(mailoutbox, caplog, settings):
    email = queue()
    crashed_at = timezone.now() - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT + 5)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status="sending", claimed_at=crashed_at, attempts=1
    )
    results = services.email_sweep()
    assert results["recovered"] == 1 and results["sent"] == 1
    assert "left in 'sending' by a stopped worker" in caplog.text
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 2
    assert len(mailoutbox) == 1


def test_failed_sending_is_retried_with_backoff_then_given_up(monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = queue()

    def refuse(self, *args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)
    now = timezone.now()
    assert services.email_deliver(email_id=email.pk, now=now) == "retry"
    email.refresh_from_db()
    assert email.status == "pending"
    assert "connection refused" in email.last_error
    assert email.next_attempt_at > now
    assert services.email_deliver(email_id=email.pk, now=now) == "failed"
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 2


def test_sensitive_bodies_are_blanked_once_sent(mailoutbox):
    email = queue(subject="Reset", body_text="Your code is 123456", sensitive=True)
    services.email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.body_text == "" and email.body_html == ""
    assert "123456" in mailoutbox[0].body


def test_dedupe_key_records_an_occasion_once():
    first = queue(dedupe_key="digest:1:2026H2:7")
    second = queue(dedupe_key="digest:1:2026H2:7")
    assert first.pk == second.pk
    assert OutgoingEmail.objects.count() == 1


CLOSED_PORT = "redis://127.0.0.1:1/0"


def _drop_celery_pools():
    # The app caches its connection pools; drop them so the next publish reconnects.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _point_celery_at_closed_port(monkeypatch):
    """As when Redis is stopped: nothing listens where the broker should be."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", CLOSED_PORT)
    monkeypatch.setitem(
        celery_app.conf,
        "broker_transport_options",
        {"max_retries": 0, "socket_connect_timeout": 0.5},
    )
    _drop_celery_pools()


@pytest.fixture
def broker_down(monkeypatch):
    _point_celery_at_closed_port(monkeypatch)
    yield CLOSED_PORT
    monkeypatch.undo()
    _drop_celery_pools()


def test_broker_outage_neither_fails_nor_slows_the_change(
    broker_down, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        email = queue()
    # What the broker outage can cost the request is the after-commit publish attempt.
    started = time.monotonic()
    for callback in callbacks:
        callback()
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"queueing took {elapsed:.2f}s with the broker down"
    assert "Could not queue community.email_deliver" in caplog.text
    email.refresh_from_db()
    assert email.status == "pending"
    assert mailoutbox == []


def test_email_queued_during_an_outage_is_delivered_when_the_broker_is_back(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.MonkeyPatch.context() as outage:
        _point_celery_at_closed_port(outage)
        with django_capture_on_commit_callbacks(execute=True):
            email = queue()
    _drop_celery_pools()
    assert mailoutbox == []
    # Back: beat's next sweep runs on a worker and delivers it, once.
    later = timezone.now() + services.SWEEP_GRACE
    monkeypatch.setattr(timezone, "now", lambda: later)
    tasks.email_sweep.delay().get()
    tasks.email_sweep.delay().get()
    email.refresh_from_db()
    assert email.status == "sent"
    assert len(mailoutbox) == 1


def test_sign_up_succeeds_quickly_while_the_broker_is_down(
    broker_down, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/accounts/signup/",
            {
                "email": "during.outage@example.gov",
                "display_name": "Outage Olga",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
            },
        )
    started = time.monotonic()
    for callback in callbacks:
        callback()
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 1.0, f"sign-up's e-mail hand-off took {elapsed:.2f}s with the broker down"
    assert OutgoingEmail.objects.get(to="during.outage@example.gov").status == "pending"
