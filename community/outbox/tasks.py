"""Celery tasks of the outbox: thin, take ids, safe to run twice."""

from celery import shared_task

from community.outbox import services


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
