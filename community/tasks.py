"""Celery tasks of the community app: thin, take ids, safe to run twice."""

import logging

from celery import shared_task

from community import services

logger = logging.getLogger(__name__)


@shared_task(name="community.email_deliver", bind=True, max_retries=5)
def email_deliver(self, email_id):
    result = services.email_deliver(email_id=email_id)
    if result == "retry":
        # Back-off grows with each retry; if this publish fails the sweep still has it.
        raise self.retry(countdown=min(30 * 2**self.request.retries, 3600))
    return result


@shared_task(name="community.email_deliver_batch")
def email_deliver_batch(email_ids):
    # No retry here: failed ones are pending again and the sweep retries them one by one.
    return services.email_deliver_batch(email_ids=email_ids)


@shared_task(name="community.email_sweep")
def email_sweep():
    """Every minute: forum notifications whose task was lost, then pending e-mails."""
    notified = services.forum_notify_sweep()
    results = services.email_sweep()
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
    return services.forum_daily_send(frequency="weekly")
