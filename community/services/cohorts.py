"""Cohorts as lab staff run them: every cohort has a private forum space and a digest
schedule, so it is created and changed here (the admin and the demo call these)."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community.models import Space
from community.services.digests import digest_schedule


def _space_ensure(cohort):
    """The cohort's private space for its members (made once)."""
    space, _created = Space.objects.get_or_create(
        cohort=cohort,
        defaults={
            "name": cohort.name,
            "slug": f"cohort-{cohort.pk}-{slugify(cohort.name)}"[:150],
            "audience": Space.Audience.PRIVATE,
            "description": _("The private space of the cohort “%(c)s”.") % {"c": cohort.name},
        },
    )
    return space


def _save(cohort, lead_staff):
    cohort.save()
    if lead_staff is not None:
        cohort.lead_staff.set(lead_staff)
    _space_ensure(cohort)
    digest_schedule(cohort=cohort)
    return cohort


@transaction.atomic
def cohort_create(*, cohort, lead_staff=None):
    """Saves a new cohort (an unsaved `learning.models.Cohort`), opens its private forum
    space and sets its next digest date. `lead_staff`, when given, replaces its leads.
    Returns the cohort."""
    return _save(cohort, lead_staff)


@transaction.atomic
def cohort_update(*, cohort, lead_staff=None):
    """Saves changes to a cohort; its next digest date follows a new start, cadence or
    switch (and a cohort made before spaces existed gets its space). Returns the cohort."""
    return _save(cohort, lead_staff)
