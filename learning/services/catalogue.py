"""Writes to the catalogue that have consequences: a change of seats reaches the waitlist."""

from django.db import transaction

from learning.models import Offering
from learning.services.enrolments import waitlist_promote


@transaction.atomic
def offering_create(*, offering):
    """Saves a new offering (an unsaved Offering: the admin's form, the demo)."""
    offering.save()
    return offering


@transaction.atomic
def offering_update(*, offering, now=None):
    """Saves changes to an offering. When its seat limit changed, the people waiting get
    any seat now free, first in line first (waitlist_promote, which e-mails them).
    Returns the enrolments promoted."""
    before = Offering.objects.select_for_update().get(pk=offering.pk)
    offering.save()
    if offering.seat_limit == before.seat_limit:
        return []
    return waitlist_promote(target=offering, now=now)
