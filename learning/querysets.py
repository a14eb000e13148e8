"""Named, chainable filters for the catalogue and enrolments. No permission logic here."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from learning.models.choices import (
    ACTIVE_STATUSES,
    SEATED_STATUSES,
    EnrolmentStatus,
    Publication,
)


class _TargetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publication.PUBLISHED)

    def open_for_enrolment(self, now=None):
        """Published, and before the deadline (or, without one, before the first day)."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        return self.published().filter(
            Q(application_deadline__gt=now)
            | Q(application_deadline__isnull=True, starts_on__gt=today)
            | Q(application_deadline__isnull=True, starts_on__isnull=True)
        )

    def current(self, today=None):
        """Not over yet: undated, or ending (or starting, when no end) today or later."""
        today = today or timezone.localdate()
        return self.filter(
            Q(ends_on__gte=today)
            | Q(ends_on__isnull=True, starts_on__gte=today)
            | Q(ends_on__isnull=True, starts_on__isnull=True)
        )

    def in_start_order(self):
        """Soonest first; undated (evergreen) after the dated ones."""
        return self.order_by(models.F("starts_on").asc(nulls_last=True), "title", "pk")


class OfferingQuerySet(_TargetQuerySet):
    pass


class ProgrammeQuerySet(_TargetQuerySet):
    pass


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def seated(self):
        return self.filter(status__in=SEATED_STATUSES)

    def waitlisted(self):
        return self.filter(status=EnrolmentStatus.WAITLISTED)

    def in_waitlist_order(self):
        return self.waitlisted().order_by("waitlisted_at", "pk")

    def ahead_in_line(self, *, waitlisted_at, pk):
        """Those waiting before the place (waitlisted_at, pk) in in_waitlist_order():
        values, or OuterRef()s to count them for each row of an outer query. The caller
        narrows them to the place's own offering or programme."""
        return self.waitlisted().filter(
            Q(waitlisted_at__lt=waitlisted_at) | Q(waitlisted_at=waitlisted_at, pk__lt=pk)
        )
