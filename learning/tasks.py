"""Celery tasks of the learning app: thin, take ids, safe to run twice."""

from celery import shared_task

from learning import services


@shared_task(name="learning.cohort_message_deliver")
def cohort_message_deliver(message_id):
    return services.cohort_message_deliver(message_id=message_id)


@shared_task(name="learning.outcomes_tick")
def outcomes_tick():
    """Hourly: feedback requests, one reminder, three-month follow-ups (each once)."""
    return services.outcomes_tick()
