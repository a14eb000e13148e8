"""Cohort digests: scheduling, starting a digest, and sending it in chunks exactly once.

A digest is one `CohortDigest` per cohort and period (unique), and one `DigestRecord` per
cohort, period and person (unique): the proof that a person was given it. A chunk records
its people's e-mails and records in one transaction, so a crash rolls the chunk back and a
rerun redoes it; people already recorded are skipped. The outbox then delivers each
e-mail once (see community.outbox.services).
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import digests
from community.accounts.errors import Refused
from community.outbox.services import email_queue_bulk, enqueue_after_commit
from learning.models import Cohort, CohortDigest, DigestRecord

logger = logging.getLogger(__name__)

KIND = "learning/digest"
CHUNK = 500  # people per task: a 10,000-member cohort is 20 short tasks
# An unfinished digest older than this is looked at again by the periodic task.
RESUME_AFTER = timedelta(minutes=10)


class DigestRefused(Refused):
    pass


def digest_schedule(*, cohort, save=True):
    """Sets `cohort.digest_next_on`: the first due date after the last digest's period
    (or after the start when none was sent), None when digests are off. Returns it."""
    if not cohort.digests_on:
        next_on = None
    else:
        last = cohort.digests.order_by("-period_end").values_list("period_end", flat=True)
        after = last.first() or cohort.digest_anchor
        next_on = digests.due_dates_after(cohort.digest_anchor, cohort.digest_months, after)
    cohort.digest_next_on = next_on
    if save:
        Cohort.objects.filter(pk=cohort.pk).update(digest_next_on=next_on)
    return next_on


def _period(cohort):
    """Where the next digest starts: the end of the last one, or the cohort's start."""
    last = cohort.digests.order_by("-covers_to").values_list("covers_to", flat=True).first()
    return last or digests.start_of_day(cohort.digest_anchor)


def _lacking(cohort, period_end):
    """Members who want digests and have not been given this one."""
    return (
        digests.members(cohort)
        .filter(email_digests=True)
        .exclude(digests.digest_done(cohort, period_end))
    )


def _recipient_ids(cohort, period_end):
    return list(_lacking(cohort, period_end).order_by("pk").values_list("pk", flat=True))


def _queue_chunks(digest, ids):
    # community.tasks imports the services: a real cycle, so the task is imported here.
    from community.tasks import digest_chunk_send

    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        after = ids[start - 1] if start else 0
        enqueue_after_commit(digest_chunk_send, digest.pk, after, part[-1])


@transaction.atomic
def _start(*, cohort, period_end, now, by=None):
    """Records the digest for `period_end` with its content and queues its chunks.

    Returns the CohortDigest (with `empty` set when there was nothing to say), or None when
    this period already has one.
    """
    if CohortDigest.objects.filter(cohort=cohort, period_end=period_end).exists():
        return None
    covers_from = _period(cohort)
    content = digests.digest_content(cohort=cohort, since=covers_from, until=now)
    counts = digests.member_counts(cohort)
    empty = not content["sections"]
    try:
        with transaction.atomic():
            digest = CohortDigest.objects.create(
                cohort=cohort,
                period_end=period_end,
                covers_from=covers_from,
                covers_to=now,
                content=content,
                empty=empty,
                started_at=now,
                started_by=by,
                finished_at=now if empty else None,
                **counts,
            )
    except IntegrityError:
        return None  # another worker started this period a moment ago
    if not empty:
        ids = _recipient_ids(cohort, period_end)
        if ids:
            _queue_chunks(digest, ids)
        else:
            CohortDigest.objects.filter(pk=digest.pk).update(finished_at=now)
    logger.info(
        "Digest %s for cohort %s: %s",
        period_end,
        cohort.pk,
        "nothing to say, not sent" if empty else f"{counts['members']} members",
    )
    return digest


def digests_send_due(*, now=None):
    """Starts the digest of every cohort that is due; schedules cohorts that have no
    next date yet. Safe to run twice or on two workers at once: each cohort is taken
    under a row lock and its period is unique. Returns the digests started."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    for cohort in Cohort.objects.filter(digests_on=True, digest_next_on__isnull=True):
        digest_schedule(cohort=cohort)
    started = []
    due = Cohort.objects.filter(digests_on=True, digest_next_on__lte=today)
    for cohort_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            cohort = (
                Cohort.objects.select_for_update(of=("self",))
                .select_related("offering", "programme")
                .filter(pk=cohort_id, digests_on=True, digest_next_on__lte=today)
                .first()
            )
            if cohort is None:
                continue  # another worker took it
            # Missed due dates are not sent one by one: one digest covers them all.
            period_end = digests.last_due_on_or_before(
                cohort.digest_anchor, cohort.digest_months, today
            )
            digest = _start(cohort=cohort, period_end=period_end or today, now=now)
            Cohort.objects.filter(pk=cohort.pk).update(
                digest_next_on=digests.due_dates_after(
                    cohort.digest_anchor, cohort.digest_months, today
                )
            )
            if digest:
                started.append(digest)
    return started


def cohort_digest_send_now(*, cohort, by, now=None):
    """Lab staff send a digest today, covering everything since the last one.

    The schedule goes on as before. Raises DigestRefused when one was already sent today
    or there is nothing to say; returns the CohortDigest.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if CohortDigest.objects.filter(cohort=cohort, period_end=today).exists():
        raise DigestRefused(_("This cohort’s digest was already sent today."))
    since = _period(cohort)
    if not digests.digest_content(cohort=cohort, since=since, until=now)["sections"]:
        raise DigestRefused(
            _("Nothing to tell this cohort since %(date)s: no digest was sent.")
            % {"date": timezone.localtime(since).strftime("%Y-%m-%d")}
        )
    digest = _start(cohort=cohort, period_end=today, now=now, by=by)
    if digest is None:
        raise DigestRefused(_("This cohort’s digest was already sent today."))
    return digest


def digest_chunk_send(*, digest_id, after_id, upto_id, now=None):
    """Gives the digest to the members with after_id < id ≤ upto_id who lack it.

    A constant number of queries whatever the chunk's size. Safe to run twice and on two
    workers at once (unique records and e-mail keys). Returns how many were given it.
    """
    now = now or timezone.now()
    digest = CohortDigest.objects.select_related("cohort").get(pk=digest_id)
    cohort = digest.cohort
    people = list(
        _lacking(cohort, digest.period_end)
        .filter(pk__gt=after_id, pk__lte=upto_id)
        .only("pk", "email", "display_name", "preferred_language", "time_zone", "email_digests")
        .order_by("pk")
    )
    if people:
        render = digests.DigestRenderer(
            cohort=cohort,
            content=digest.content,
            covers_from=digest.covers_from,
            covers_to=digest.covers_to,
        )
        with transaction.atomic():
            emails = email_queue_bulk(
                kind=KIND,
                recipients=people,
                render=render,
                dedupe_prefix=f"digest:{cohort.pk}:{digest.period_end:%Y%m%d}",
                now=now,
            )
            DigestRecord.objects.bulk_create(
                [
                    DigestRecord(
                        cohort=cohort,
                        period_end=digest.period_end,
                        user_id=person.pk,
                        email_id=emails.get(person.pk),
                        created_at=now,
                    )
                    for person in people
                ],
                ignore_conflicts=True,
            )
    _finish_if_done(digest, now=now)
    return len(people)


def _finish_if_done(digest, *, now):
    if digest.finished_at is None and not _lacking(digest.cohort, digest.period_end).exists():
        CohortDigest.objects.filter(pk=digest.pk, finished_at__isnull=True).update(finished_at=now)


def digests_resume(*, now=None):
    """Digests left unfinished (a worker died, a task was lost) are queued again for
    the people who still lack them; finished ones are marked. Returns how many digests
    were queued again."""
    now = now or timezone.now()
    stale = CohortDigest.objects.filter(
        finished_at__isnull=True, empty=False, started_at__lt=now - RESUME_AFTER
    ).select_related("cohort")
    resumed = 0
    for digest in stale:
        ids = _recipient_ids(digest.cohort, digest.period_end)
        if not ids:
            CohortDigest.objects.filter(pk=digest.pk).update(finished_at=now)
            continue
        logger.warning(
            "Digest %s of cohort %s: %d people still lack it; queued again",
            digest.period_end,
            digest.cohort_id,
            len(ids),
        )
        with transaction.atomic():
            _queue_chunks(digest, ids)
        resumed += 1
    return resumed


def export(user):
    """The digests a person was given, for their data export."""
    rows = DigestRecord.objects.filter(user=user).select_related("cohort", "email")
    return [
        {
            "cohort": record.cohort.name,
            "period_ends": record.period_end.isoformat(),
            "sent_at": record.email.sent_at.isoformat()
            if record.email and record.email.sent_at
            else None,
        }
        for record in rows.order_by("period_end")
    ]
