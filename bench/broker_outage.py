"""How long does handing an e-mail to Celery take when the broker is down?

The hand-off runs after commit inside a person's request; the target is under 1 s.
Measures a refused connection (port closed) against a working local publish.
"""

import time

from _setup import django_ready, percentiles

django_ready()

from django.db import transaction  # noqa: E402

from community.outbox.services import email_queue  # noqa: E402
from innolab.celery import app  # noqa: E402


def measure(broker_url, transport_options, runs=20):
    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = transport_options
    app._pool = None
    app.amqp._producer_pool = None
    samples = []
    for n in range(runs):
        with transaction.atomic():
            email_queue(
                to=f"bench{n}@example.gov",
                kind="test_message",
                context={"name": "Bench"},
            )
            started = time.perf_counter()
        # leaving the block commits and runs the hand-off
        samples.append((time.perf_counter() - started) * 1000)
    return {k: round(v, 2) for k, v in percentiles(samples).items()}


closed = measure("redis://127.0.0.1:1/0", {"max_retries": 0, "socket_connect_timeout": 0.5})
print(f"broker down (connection refused), ms: {closed}")
try:
    working = measure(
        "redis://127.0.0.1:6379/15", {"max_retries": 0, "socket_connect_timeout": 0.5}
    )
    print(f"broker up (local Redis, db 15), ms:    {working}")
except Exception as exc:  # no local Redis: nothing to compare against
    print(f"broker up: not measured ({exc})")
