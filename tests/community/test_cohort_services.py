"""Cohorts are created and changed through community.services.cohorts: each has a private
forum space and a digest schedule, whichever way it was made (admin, demo)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import digests, services
from community.models import Space
from learning.models import Cohort
from tests import factories

pytestmark = pytest.mark.django_db


def test_cohort_create_opens_a_private_space_and_schedules_digests():
    staff = factories.lab_staff()
    start = timezone.localdate() - timedelta(days=10)
    cohort = services.cohort_create(
        cohort=Cohort(name="Spring intake", offering=factories.offering(), starts_on=start),
        lead_staff=[staff],
    )
    space = Space.objects.get(cohort=cohort)
    assert space.audience == Space.Audience.PRIVATE and space.name == "Spring intake"
    assert cohort.digest_next_on > timezone.localdate()
    assert list(cohort.lead_staff.all()) == [staff]


def test_cohort_update_follows_a_new_start_and_keeps_one_space():
    cohort = services.cohort_create(
        cohort=Cohort(name="Moved", programme=factories.programme(), starts_on=None)
    )
    cohort.starts_on = timezone.localdate() + timedelta(days=30)
    services.cohort_update(cohort=cohort)
    cohort.refresh_from_db()
    assert cohort.digest_next_on == digests.due_dates_after(cohort.starts_on, 6, cohort.starts_on)
    cohort.digests_on = False
    services.cohort_update(cohort=cohort)
    cohort.refresh_from_db()
    assert cohort.digest_next_on is None
    assert Space.objects.filter(cohort=cohort).count() == 1


def test_a_cohort_made_in_the_admin_gets_its_space(staff_client):
    offering = factories.offering(title="Admin-made")
    response = staff_client.post(
        reverse("admin:learning_cohort_add"),
        {"name": "From the admin", "offering": offering.pk, "digests_on": "on",
         "digest_months": 6},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:1500]
    cohort = Cohort.objects.get(name="From the admin")
    assert Space.objects.filter(cohort=cohort).exists()
    assert cohort.digest_next_on is not None
