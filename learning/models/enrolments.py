"""Enrolments: a person's place in an offering or a programme, its audit trail and
attendance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models.catalogue import Offering, Programme, Session
from learning.models.choices import ACTIVE_STATUSES, SEATED_STATUSES, EnrolmentStatus
from learning.models.cohorts import Cohort
from learning.querysets import EnrolmentQuerySet


class Enrolment(models.Model):
    """A person's place in an offering or a programme, with its status."""

    Status = EnrolmentStatus
    # A person holds at most one of these per target at a time.
    ACTIVE = ACTIVE_STATUSES
    # These take a seat.
    SEATED = SEATED_STATUSES

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    offering = models.ForeignKey(
        Offering,
        verbose_name=_("offering"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    motivation = models.TextField(_("motivation"), blank=True)
    line_manager_name = models.CharField(_("line manager’s name"), max_length=150, blank=True)
    line_manager_email = models.EmailField(_("line manager’s e-mail"), blank=True)
    encouraged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("encouraged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="encouraged_enrolments",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offering__isnull=False, programme__isnull=True)
                | Q(offering__isnull=True, programme__isnull=False),
                name="enrolment_exactly_one_target",
                violation_error_message=_("An enrolment is for one offering or one programme."),
            ),
            models.UniqueConstraint(
                fields=["user", "offering"],
                condition=Q(status__in=list(ACTIVE_STATUSES)),
                name="enrolment_one_active_per_offering",
                violation_error_message=_("You already have a place or application here."),
            ),
            models.UniqueConstraint(
                fields=["user", "programme"],
                condition=Q(status__in=list(ACTIVE_STATUSES)),
                name="enrolment_one_active_per_programme",
                violation_error_message=_("You already have a place or application here."),
            ),
        ]
        indexes = [
            models.Index(fields=["offering", "status"], name="enrolment_offering_status_idx"),
            models.Index(fields=["programme", "status"], name="enrolment_programme_status_idx"),
            models.Index(fields=["user", "status"], name="enrolment_user_status_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.target} ({self.get_status_display()})"

    @property
    def target(self):
        return self.offering or self.programme

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class EnrolmentStatusChange(models.Model):
    """The audit trail: every status change, who made it, when and why."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=Enrolment.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Enrolment.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class Attendance(models.Model):
    """Whether a participant attended; per session for classes, once otherwise."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="attendance"
    )
    attended = models.BooleanField(_("attended"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="attendance_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(session__isnull=True),
                name="attendance_once_without_session",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.session or '—'}"
