"""Reachability checks for /healthz/: short timeouts, a reason when something is down."""

import logging

from django.conf import settings
from django.db import connection
from kombu import Connection

logger = logging.getLogger(__name__)


def database_check():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        logger.warning("Health: database unreachable: %s", exc)
        return False, type(exc).__name__
    return True, "ok"


def broker_check():
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=1,
            transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
            # Opening a channel is what actually talks to Redis (it pings on creation).
            conn.default_channel  # noqa: B018
    except Exception as exc:
        logger.warning("Health: broker unreachable: %s", exc)
        return False, type(exc).__name__
    return True, "ok"
