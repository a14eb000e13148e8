"""Outgoing e-mail is recorded with the change that caused it and is never lost or doubled."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from community import tasks
from community.models import OutgoingEmail
from community.outbox import services
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


# --- Fan-outs: recorded in bulk, delivered in batches -----------------------------------------


def bulk(people, **kwargs):
    def render(person, unsubscribe_url):
        return "Digest", f"Hello {person.display_name}\n{unsubscribe_url}", "<p>Hello</p>"

    kwargs.setdefault("kind", "learning/digest")
    return services.email_queue_bulk(
        recipients=people, render=render, dedupe_prefix="test", **kwargs
    )


def test_bulk_queue_records_once_per_person_and_skips_those_who_opted_out(
    django_capture_on_commit_callbacks, mailoutbox
):
    from tests import factories

    keen = [factories.user() for _ in range(3)]
    off = factories.user(email_digests=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = bulk([*keen, off])
    assert set(first) == {p.pk for p in keen}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = bulk([*keen, off])
    assert again == first and callbacks == []  # nothing new, nothing queued again
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in keen)
    assert all("List-Unsubscribe" in m.extra_headers for m in mailoutbox)


def test_an_essential_kind_ignores_preferences_in_bulk_too():
    from tests import factories

    person = factories.user(email_digests=False, email_enrolment_updates=False)
    assert set(bulk([person], kind="learning/cohort_message")) == {person.pk}
    email = OutgoingEmail.objects.get()
    assert email.list_unsubscribe == ""  # essential: no unsubscribe


def test_batch_delivery_retries_a_temporary_smtp_failure_without_sending_twice(
    monkeypatch, mailoutbox
):
    from smtplib import SMTPServerDisconnected

    from tests import factories

    people = [factories.user() for _ in range(4)]
    ids = sorted(bulk(people).values())
    real_send = mail.EmailMultiAlternatives.send
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SMTPServerDisconnected("421 try again later")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky)
    now = timezone.now()
    assert services.email_deliver_batch(email_ids=ids, now=now) == {
        "sent": 3,
        "retry": 1,
        "failed": 0,
        "skipped": 0,
    }
    # The task run again (redelivered): the sent ones are skipped, the failed one goes.
    assert services.email_deliver_batch(email_ids=ids, now=now)["sent"] == 1
    assert len(mailoutbox) == 4
    assert services.email_sweep(now=now + timedelta(hours=7))["sent"] == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)


def test_batch_delivery_skips_what_another_worker_claimed(mailoutbox):
    from tests import factories

    ids = sorted(bulk([factories.user() for _ in range(3)]).values())
    OutgoingEmail.objects.filter(pk=ids[0]).update(status=OutgoingEmail.Status.SENDING)
    result = services.email_deliver_batch(email_ids=ids)
    assert (result["sent"], result["skipped"]) == (2, 1)
    assert len(mailoutbox) == 2
