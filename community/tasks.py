"""Celery tasks of the community: thin, take ids, safe to run twice.

Task names are stored in django-celery-beat's rows (periodic tasks made by migrations),
so they never change, even where a task moved between modules: the digests' tasks keep
the names they had in the learning app.
"""

import logging

from celery import shared_task

from community import services
from community.accounts.models import User
from community.outbox import services as outbox
from community.outbox.tasks import email_deliver, email_deliver_batch

logger = logging.getLogger(__name__)

# The outbox's own tasks, registered with the worker through this module.
__all__ = ["email_deliver", "email_deliver_batch"]


@shared_task(name="community.email_sweep")
def email_sweep():
    """Every minute: forum notifications whose task was lost (they queue e-mails), then
    pending e-mails."""
    notified = services.forum_notify_sweep()
    results = outbox.email_sweep()
    if notified:
        logger.info("Forum posts notified late (their task was lost): %d", notified)
    if any(results[k] for k in ("recovered", "sent", "retry", "failed")):
        logger.info("Outbox sweep: %s", results)
    return {**results, "posts_notified": notified}


@shared_task(name="community.meetings_tick")
def meetings_tick():
    """Every few minutes: roll series over, send due reminders and report reminders."""
    created = services.series_roll()
    reminders = services.reminders_send()
    reports = services.report_reminders_send()
    if created or reminders["sent"] or reminders["skipped"] or reports:
        logger.info(
            "Meetings: %d drafted, reminders %s, %d report reminders",
            len(created),
            reminders,
            reports,
        )
    return {"drafted": len(created), **reminders, "report_reminders": reports}


@shared_task(name="community.forum_post_notify")
def forum_post_notify(post_id):
    return services.forum_post_notify(post_id=post_id)


@shared_task(name="community.forum_daily")
def forum_daily():
    """Once a day: the forum summary for people who chose daily e-mails."""
    return services.forum_daily_send()


@shared_task(name="community.forum_weekly")
def forum_weekly():
    """Once a week: the forum summary for people who chose weekly e-mails."""
    return services.forum_daily_send(frequency=User.ForumEmails.WEEKLY)


@shared_task(name="learning.digests_tick")
def digests_tick():
    """Every minute: start the digests that are due, pick up unfinished ones."""
    started = services.digests_send_due()
    resumed = services.digests_resume()
    if started or resumed:
        logger.info("Digests: %d started, %d resumed", len(started), resumed)
    return {"started": len(started), "resumed": resumed}


@shared_task(name="learning.digest_chunk_send")
def digest_chunk_send(digest_id, after_id, upto_id):
    return services.digest_chunk_send(digest_id=digest_id, after_id=after_id, upto_id=upto_id)
