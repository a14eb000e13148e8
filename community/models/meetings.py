"""Sharing meetings: the six-monthly gatherings of a programme's alumni."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


def parse_offsets(text):
    """ "7d, 1d, 2h" -> [timedelta(days=7), timedelta(days=1), timedelta(hours=2)]."""
    offsets = []
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        unit, number = part[-1], part[:-1]
        if unit not in "dhm" or not number.isdigit() or int(number) == 0:
            raise ValidationError(
                _("Write offsets like “7d, 1d, 2h” (days, hours or minutes before the start).")
            )
        size = {"d": "days", "h": "hours", "m": "minutes"}[unit]
        offsets.append(timedelta(**{size: int(number)}))
    return sorted(set(offsets), reverse=True)


def validate_offsets(text):
    parse_offsets(text)


class MeetingSeries(models.Model):
    """The rhythm of a programme's sharing meetings (every six months by default)."""

    programme = models.ForeignKey(
        "learning.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="meeting_series",
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. “Inter-Transfo”."))
    cadence_months = models.PositiveSmallIntegerField(_("every (months)"), default=6)
    default_format = models.CharField(
        _("default format"), max_length=10, choices=MeetingFormat.choices,
        default=MeetingFormat.HYBRID,
    )  # fmt: skip
    default_duration_minutes = models.PositiveIntegerField(
        _("default duration (minutes)"), default=180
    )
    default_venue = models.CharField(_("default venue"), max_length=200, blank=True)
    reminder_offsets = models.CharField(
        _("reminders"),
        max_length=100,
        default="7d, 1d",
        validators=[validate_offsets],
        help_text=_("When to remind people who are going: “7d, 1d” = 7 days and 1 day before."),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisers"), blank=True, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def offsets(self):
        return parse_offsets(self.reminder_offsets)


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not announced)")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    series = models.ForeignKey(
        MeetingSeries, verbose_name=_("series"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="meetings",
    )  # fmt: skip
    programme = models.ForeignKey(
        "learning.Programme", verbose_name=_("programme"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="meetings",
        help_text=_("Its alumni are invited. Empty: every alumnus is."),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    format = models.CharField(
        _("format"), max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.HYBRID
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_link = models.URLField(
        _("online joining link"), blank=True, help_text=_("Shown only to people who are going.")
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Markdown."))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means unlimited.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    extra_invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("also invited"), blank=True, related_name="+"
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisers"), blank=True, related_name="+"
    )
    # After the meeting
    report_shared = models.TextField(_("what was shared"), blank=True)
    report_worked = models.TextField(_("what worked"), blank=True)
    report_failed = models.TextField(_("where people failed"), blank=True)
    report_followups = models.TextField(_("follow-ups"), blank=True)
    report_written_at = models.DateTimeField(_("report written"), null=True, blank=True)

    class Meta:
        verbose_name = _("sharing meeting")
        verbose_name_plural = _("sharing meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            )
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="meeting_status_start_idx")]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("community:meeting-detail", args=[self.pk])

    @property
    def has_report(self):
        return self.report_written_at is not None

    def is_over(self, now=None):
        return self.ends_at <= (now or timezone.now())


class Rsvp(models.Model):
    class Answer(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        NOT_GOING = "not_going", _("Not going")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="rsvps",
    )  # fmt: skip
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    waitlisted = models.BooleanField(_("on the waitlist"), default=False)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["answered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="rsvp_once")]

    def __str__(self):
        return f"{self.user}: {self.get_answer_display()}"

    @property
    def is_going(self):
        return self.answer == self.Answer.GOING and not self.waitlisted


class MeetingReminder(models.Model):
    """Proof that a reminder went (or was skipped): one per meeting, person, offset and
    scheduled start, so double runs never send twice and a new start re-arms them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    offset_minutes = models.PositiveIntegerField(_("minutes before"))
    starts_at = models.DateTimeField(_("for the start at"))
    sent_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    skipped = models.BooleanField(_("skipped (moment missed)"), default=False)

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "offset_minutes", "starts_at"],
                name="meeting_reminder_once",
            )
        ]

    def __str__(self):
        return f"{self.meeting} → {self.user} ({self.offset_minutes} min)"


def new_calendar_token():
    return secrets.token_urlsafe(24)
