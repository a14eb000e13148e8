"""The outbox: every e-mail the platform sends is recorded here, then delivered by Celery.

Every message the platform sends is queued with `email_queue()`, which records
it in the caller's transaction and hands delivery to Celery after commit. Delivery
(`email_deliver`) and the periodic sweep (`email_sweep`) claim a record with a
conditional update before sending, so retries, double runs and concurrent workers never
send one record twice; a record stuck in `sending` after a crash is sent again by the
sweep (at most one duplicate, never a loss).
"""

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from community.outbox import preferences
from community.outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

# A freshly queued e-mail is left to its own task for this long before the sweep may
# take it, so the two do not race in the normal case.
SWEEP_GRACE = timedelta(minutes=2)


def enqueue_after_commit(task, *args):
    """Queues `task.delay(*args)` once the current transaction commits.

    A broker that is down must not fail the person's request: the error is logged and
    the periodic sweep picks the work up from the database later.
    """

    def send():
        try:
            task.delay(*args)
        except Exception:  # kombu raises many types (OperationalError, OSError, ...)
            logger.warning("Could not queue %s%r; the sweep will retry", task.name, args)

    transaction.on_commit(send)


def _unsubscribe_url(user, kind):
    """The one-click address that switches this kind of e-mail off, or "" if essential."""
    preference = preferences.preference_for(kind)
    return preferences.unsubscribe_url(settings.SITE_URL, user, preference) if preference else ""


def _render_plain(name, context):
    # Plain text must not be HTML-escaped: "Ana & Bo" stays as typed.
    return get_template(name).template.render(Context(context, autoescape=False))


def _render(kind, context):
    subject = _render_plain(f"emails/{kind}_subject.txt", context).strip()
    text = _render_plain(f"emails/{kind}.txt", context)
    html = render_to_string(f"emails/{kind}.html", context)
    return " ".join(subject.splitlines()), text, html


@transaction.atomic
def email_queue(
    *,
    to,
    kind,
    context=None,
    user=None,
    subject=None,
    body_text=None,
    body_html=None,
    sensitive=False,
    dedupe_key=None,
    attachment=None,
    now=None,
):
    """Records an e-mail and queues its delivery after commit.

    Either `kind` names templates `emails/<kind>_subject.txt`, `.txt` and `.html`
    rendered with `context` (in the recipient's language), or `subject` and
    `body_text` are given ready-made (allauth's messages); a missing HTML body is made
    from the text in the shared layout. With `dedupe_key`, an e-mail already recorded
    under that key is returned instead of a second one. `attachment` is (name, text,
    mimetype). Returns None, recording nothing, when `user` switched this kind of e-mail
    off (community.outbox.preferences); such e-mails carry an unsubscribe link and the RFC 8058
    headers. Queues `community.email_deliver`.
    """
    now = now or timezone.now()
    if user is not None and not preferences.wants(user, kind):
        return None  # switched off by the person; essential kinds never are
    if dedupe_key:
        existing = OutgoingEmail.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing
    unsubscribe = _unsubscribe_url(user, kind) if user is not None else ""
    if subject is None:
        language = getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
        ctx = {
            "user": user,
            "SITE_URL": settings.SITE_URL,
            "unsubscribe_url": unsubscribe,
            **(context or {}),
        }
        zone = getattr(user, "time_zone", None) or settings.TIME_ZONE
        # Dates in an e-mail read in the recipient's own language and time zone.
        with translation.override(language), timezone.override(zone):
            subject, body_text, body_html = _render(kind, ctx)
    if not body_html:
        # The text's paragraphs, escaped, then marked up (not escaped again by the layout).
        body = mark_safe(linebreaks(body_text, autoescape=True))  # noqa: S308 # nosec B308 B703
        body_html = render_to_string("emails/base.html", {"subject": subject, "body": body})
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                to=to,
                user=user,
                kind=kind,
                subject=subject[:255],
                body_text=body_text,
                body_html=body_html,
                sensitive=sensitive,
                dedupe_key=dedupe_key,
                list_unsubscribe=unsubscribe,
                attachment_name=attachment[0] if attachment else "",
                attachment_content=attachment[1] if attachment else "",
                attachment_type=attachment[2] if attachment else "",
                created_at=now,
                next_attempt_at=now + SWEEP_GRACE,
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        # Another worker recorded the same occasion a moment ago: that one counts.
        return OutgoingEmail.objects.get(dedupe_key=dedupe_key)
    # outbox.tasks imports this module: a real cycle, so the task is imported here.
    from community.outbox.tasks import email_deliver

    enqueue_after_commit(email_deliver, email.pk)
    return email


# Deliveries are handed to Celery in batches this size: one SMTP connection and a
# handful of queries each, short enough that a claimed batch is sent well within
# OUTBOX_SENDING_TIMEOUT even on a slow relay.
DELIVERY_BATCH = 50


def email_queue_bulk(*, kind, recipients, render, dedupe_prefix, now=None):
    """Records one e-mail of `kind` per person in `recipients` and queues their delivery.

    For fan-outs (digests): a constant number of queries however many people. `render(
    person, unsubscribe_url)` returns (subject, text, html) without touching the database.
    People who switched `kind` off are left out; each e-mail's dedupe key is
    `<dedupe_prefix>:<person id>`, and a key already recorded is kept, not doubled (so a
    rerun or a second worker adds nothing). Returns {person id: e-mail id} for every
    recipient who has an e-mail under its key, new or old. Queues
    `community.email_deliver_batch` after commit, DELIVERY_BATCH e-mails per task.
    """
    now = now or timezone.now()
    rows = []
    for person in recipients:
        if not preferences.wants(person, kind):
            continue
        unsubscribe = _unsubscribe_url(person, kind)
        subject, text, html = render(person, unsubscribe)
        rows.append(
            OutgoingEmail(
                to=person.email,
                user_id=person.pk,
                kind=kind,
                subject=" ".join(subject.split())[:255],
                body_text=text,
                body_html=html,
                dedupe_key=f"{dedupe_prefix}:{person.pk}",
                list_unsubscribe=unsubscribe,
                created_at=now,
                next_attempt_at=now + SWEEP_GRACE,
            )
        )
    if not rows:
        return {}
    with transaction.atomic():
        OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True)
        recorded = list(
            OutgoingEmail.objects.filter(
                dedupe_key__in=[row.dedupe_key for row in rows]
            ).values_list("user_id", "pk", "created_at")
        )
    # outbox.tasks imports this module: a real cycle, so the task is imported here.
    from community.outbox.tasks import email_deliver_batch

    # Only what this call recorded is handed on; older ones already have their tasks (and
    # the sweep delivers anything whose task was lost).
    fresh = sorted(pk for _user, pk, created_at in recorded if created_at == now)
    for start in range(0, len(fresh), DELIVERY_BATCH):
        enqueue_after_commit(email_deliver_batch, fresh[start : start + DELIVERY_BATCH])
    return {user_id: pk for user_id, pk, _created_at in recorded}


def _claim(email_id, *, now, due_only=False):
    """Moves a pending record to `sending`; True only for the one caller that did it."""
    q = Q(pk=email_id, status=OutgoingEmail.Status.PENDING)
    if due_only:
        q &= Q(next_attempt_at__lte=now)
    return bool(
        OutgoingEmail.objects.filter(q).update(
            status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _message(email, connection=None):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        connection=connection,
    )
    if email.list_unsubscribe:
        message.extra_headers = {
            "List-Unsubscribe": f"<{email.list_unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message.attach_alternative(email.body_html, "text/html")
    if email.attachment_name:
        message.attach(email.attachment_name, email.attachment_content, email.attachment_type)
    return message


def _send_claimed(email, *, now, connection=None):
    """Sends a record this caller claimed and records the outcome at once, so a crash
    can leave at most this one message sent but not marked."""
    try:
        _message(email, connection).send()
    except Exception as exc:  # SMTP errors, timeouts, refused connections
        failed = email.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        backoff = timedelta(seconds=min(30 * 2 ** (email.attempts - 1), 6 * 3600))
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.FAILED if failed else OutgoingEmail.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=now + backoff,
        )
        logger.warning("E-mail %s attempt %s failed: %s", email.pk, email.attempts, exc)
        return "failed" if failed else "retry"
    sent = {"status": OutgoingEmail.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    if email.sensitive:
        sent.update(body_text="", body_html="")
    OutgoingEmail.objects.filter(pk=email.pk).update(**sent)
    return "sent"


def email_deliver(*, email_id, now=None, due_only=False):
    """Sends one recorded e-mail if this caller wins the claim.

    Returns "sent", "skipped" (someone else has it, or it is already sent), or
    "retry" (sending failed; the record is pending again with a later next attempt)
    or "failed" (attempts exhausted).
    """
    now = now or timezone.now()
    if not _claim(email_id, now=now, due_only=due_only):
        return "skipped"
    return _send_claimed(OutgoingEmail.objects.get(pk=email_id), now=now)


def email_deliver_batch(*, email_ids, now=None):
    """Sends the pending e-mails among `email_ids` over one SMTP connection.

    The batch is claimed in one transaction (rows another worker holds are skipped), and
    each e-mail is marked sent as soon as the server took it: a crash mid-batch leaves
    the unsent ones in `sending` for the sweep and at most one sent but unmarked.
    Failures go back to pending with a back-off. Returns counts by outcome.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids, status=OutgoingEmail.Status.PENDING)
            .values_list("pk", flat=True)
        )
        OutgoingEmail.objects.filter(pk__in=claimed).update(
            status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    results = {"sent": 0, "retry": 0, "failed": 0, "skipped": len(email_ids) - len(claimed)}
    if not claimed:
        return results
    connection = get_connection()
    try:
        # Kept open for the batch. If it cannot open, the first send meets the same error
        # and records it as a retry.
        with contextlib.suppress(Exception):
            connection.open()
        for email in OutgoingEmail.objects.filter(pk__in=claimed).order_by("pk"):
            outcome = _send_claimed(email, now=now, connection=connection)
            results[outcome] += 1
            if outcome != "sent":
                connection.close()  # a broken SMTP session is reopened for the next one
    finally:
        connection.close()
    return results


def email_sweep(*, now=None, limit=500):
    """Delivers what the normal path missed; returns counts for the log.

    Records stuck in `sending` longer than OUTBOX_SENDING_TIMEOUT (their worker died)
    are reported and made pending again; then every pending record that is due is
    delivered, each behind its own claim.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)
    stale = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.SENDING, claimed_at__lt=stale_before
        ).values_list("pk", flat=True)[:limit]
    )
    if stale:
        logger.warning(
            "Outbox: %d e-mail(s) were left in 'sending' by a stopped worker and will be "
            "sent again (a duplicate is possible): %s",
            len(stale),
            stale,
        )
        OutgoingEmail.objects.filter(
            pk__in=stale, status=OutgoingEmail.Status.SENDING, claimed_at__lt=stale_before
        ).update(status=OutgoingEmail.Status.PENDING, next_attempt_at=now)
    due = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    results = {"recovered": len(stale), "sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for email_id in due:
        results[email_deliver(email_id=email_id, now=now, due_only=True)] += 1
    return results


# --- Preferences and personal data ---------------------------------------------------------


def email_preference_off(*, user, name):
    """Switches one kind of e-mail off (an unsubscribe link was used); returns the user."""
    field = preferences.PREFERENCES[name][1]
    setattr(user, field, user.ForumEmails.OFF if field == "forum_emails" else False)
    user.save(update_fields=[field])
    return user


def _when(value):
    return value.isoformat() if value else None


def emails_export(user):
    """The e-mails sent to `user`, for their data export (never the bodies)."""
    return [
        {"kind": e.kind, "subject": e.subject, "status": e.status, "at": _when(e.created_at)}
        for e in OutgoingEmail.objects.filter(user=user).order_by("created_at")
    ]


def emails_erase(user):
    """Cancels what was still to be sent to `user` and blanks every e-mail sent to them.

    Run last when an account is deleted, so e-mails queued by the other erasures go too.
    """
    theirs = OutgoingEmail.objects.filter(Q(user=user) | Q(to__iexact=user.email))
    theirs.filter(status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING]).update(
        status=OutgoingEmail.Status.FAILED, last_error="Account deleted"
    )
    theirs.update(
        to="erased@invalid.invalid", subject="(erased)", body_text="", body_html="", user=None
    )
