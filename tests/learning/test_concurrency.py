"""No overbooking, ever: concurrent requests for the last seats on real connections."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from learning import selectors, services
from learning.models import Enrolment
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.IS_POSTGRES,
        reason="needs PostgreSQL: SQLite has no concurrent writers (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

ATTEMPTS = 30
SEATS = 10


def test_concurrent_enrolments_for_ten_seats_confirm_exactly_ten():
    offering = factories.offering(capacity=SEATS)
    people = [factories.user() for _ in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)
    errors = []

    def attempt(person):
        try:
            barrier.wait(timeout=30)
            services.enrolment_create(user=person, target=offering)
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    enrolments = Enrolment.objects.filter(offering=offering)
    assert enrolments.filter(status="confirmed").count() == SEATS
    waitlisted = list(enrolments.filter(status="waitlisted"))
    assert len(waitlisted) == ATTEMPTS - SEATS
    positions = sorted(selectors.waitlist_position(e) for e in waitlisted)
    assert positions == list(range(1, ATTEMPTS - SEATS + 1))
