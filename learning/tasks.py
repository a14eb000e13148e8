"""Celery tasks of the learning app: thin, take ids, safe to run twice."""

import logging

from celery import shared_task

from learning import services

logger = logging.getLogger(__name__)


@shared_task(name="learning.cohort_message_deliver")
def cohort_message_deliver(message_id):
    return services.cohort_message_deliver(message_id=message_id)


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
