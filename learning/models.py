"""The catalogue (programmes, offerings, sessions), cohorts and enrolments.

Three modes of learning live here: taught classes and seminars, learning-by-doing projects
and secondments. Toolkits, the fourth, are in the `toolkits` app.
"""

from datetime import datetime, time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from learning.querysets import ACTIVE as ACTIVE_STATUSES
from learning.querysets import SEATED as SEATED_STATUSES
from learning.querysets import EnrolmentQuerySet, OfferingQuerySet, ProgrammeQuerySet


class Mode(models.TextChoices):
    CLASS = "class", _("Taught class or seminar")
    PROJECT = "project", _("Learning by doing (project)")
    SECONDMENT = "secondment", _("Secondment")


MODE_EXPLANATIONS = {
    Mode.CLASS: _(
        "Make knowledge explicit: workshops for many participants, one or a few dated "
        "sessions, often introducing a specific tool or method."
    ),
    Mode.PROJECT: _(
        "Apply and internalise: a small circle of staff works for weeks or months on a "
        "real challenge, their team’s own or a cross-departmental one."
    ),
    Mode.SECONDMENT: _(
        "Learn tacit knowledge from peers: spend time, often six months, inside an "
        "innovation lab, then bring the approach home."
    ),
}


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Policy(models.TextChoices):
    OPEN = "open", _("Open: first come, first served")
    APPLICATION = "application", _("By application: lab staff decide")


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class EnrolmentTarget(models.Model):
    """What people can enrol in: an offering, or a programme as a whole."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, lists, links.")
    )
    host_lab = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("host lab"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    application_deadline = models.DateTimeField(
        _("application deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: enrolment stays open until the start date."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means unlimited.")
    )
    enrolment_policy = models.CharField(
        _("enrolment policy"), max_length=12, choices=Policy.choices, default=Policy.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def seat_limit(self):
        """The number of confirmed places, or None for unlimited."""
        return self.capacity

    def closes_at(self):
        if self.application_deadline:
            return self.application_deadline
        if self.starts_on:
            # Without a deadline, enrolment closes when the first day begins (lab's time).
            return datetime.combine(self.starts_on, time.min, timezone.get_default_timezone())
        return None

    def is_open_for_enrolment(self, now=None):
        now = now or timezone.now()
        closes = self.closes_at()
        return self.status == Publication.PUBLISHED and (closes is None or now < closes)


class Programme(EnrolmentTarget):
    """A named journey that combines offerings of several modes (e.g. "La Transfo")."""

    tags = TaggableManager(_("tags"), blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title"]

    def get_absolute_url(self):
        return reverse("learning:programme-detail", args=[self.slug])


class Offering(EnrolmentTarget):
    """One learning opportunity in the catalogue: a class, a project or a secondment."""

    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offerings",
    )
    programme_position = models.PositiveSmallIntegerField(
        _("step in programme"), default=0, help_text=_("Order within the programme.")
    )
    tags = TaggableManager(_("tags"), blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_details = models.TextField(
        _("online joining details"),
        blank=True,
        help_text=_("Link and access code; shown only to confirmed participants."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    audience = models.CharField(_("intended audience"), max_length=200, blank=True)
    # Taught classes
    tools_introduced = models.CharField(
        _("tools or methods introduced"), max_length=300, blank=True
    )
    # Learning-by-doing projects
    challenge = models.TextField(_("challenge statement"), blank=True)
    sponsor = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("sponsoring organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_offerings",
    )
    cross_departmental = models.BooleanField(_("cross-departmental"), default=False)
    circle_size = models.PositiveSmallIntegerField(
        _("circle size"),
        null=True,
        blank=True,
        help_text=_("Projects work in small circles: a cap on participants."),
    )
    # Secondments
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"), null=True, blank=True
    )
    requirements = models.TextField(_("requirements"), blank=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode=Mode.SECONDMENT) | Q(enrolment_policy=Policy.APPLICATION),
                name="offering_secondment_by_application",
                violation_error_message=_("A secondment always goes by application."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="offering_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"], name="offering_catalogue_idx")]

    def get_absolute_url(self):
        return reverse("learning:offering-detail", args=[self.slug])

    @property
    def seat_limit(self):
        limits = [n for n in (self.capacity, self.circle_size) if n is not None]
        return min(limits) if limits else None

    @property
    def needs_line_manager(self):
        return self.mode == Mode.SECONDMENT


class Session(models.Model):
    """One dated session of a taught class."""

    offering = models.ForeignKey(
        Offering, verbose_name=_("offering"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self):
        return self.title or f"{self.offering} ({self.starts_at:%Y-%m-%d})"


class Cohort(models.Model):
    """One intake of people going through an offering or a programme together."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("E.g. “La Transfo 2026 spring”.")
    )
    offering = models.ForeignKey(
        Offering,
        verbose_name=_("offering"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    lead_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("lead staff"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Six-monthly digests (learning.services.digests): due every `digest_months` counted
    # from the start; `digest_next_on` is kept by the services, never typed in.
    digests_on = models.BooleanField(
        _("send digests"),
        default=True,
        help_text=_("A digest of what the cohort and the community did, by e-mail."),
    )
    digest_months = models.PositiveSmallIntegerField(
        _("digest every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Counted from the cohort’s start."),
    )
    digest_next_on = models.DateField(_("next digest"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        indexes = [
            models.Index(fields=["digests_on", "digest_next_on"], name="cohort_digest_due_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(offering__isnull=False, programme__isnull=True)
                | Q(offering__isnull=True, programme__isnull=False),
                name="cohort_exactly_one_target",
                violation_error_message=_("A cohort belongs to one offering or one programme."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def target(self):
        return self.offering or self.programme

    @property
    def digest_anchor(self):
        """The date digests are counted from: the start, or the creation if undated."""
        return self.starts_on or timezone.localdate(self.created_at)


class Enrolment(models.Model):
    """A person's place in an offering or a programme, with its status."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CONFIRMED = "confirmed", _("Confirmed")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Declined")

    # A person holds at most one of these per target at a time.
    ACTIVE = tuple(ACTIVE_STATUSES)
    # These take a seat.
    SEATED = tuple(SEATED_STATUSES)

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


class CohortInvitation(models.Model):
    """An invitation to join a cohort, e-mailed to someone without an account yet.

    The sign-up link carries `token`; signing up through it places the new member in the
    cohort.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "community.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort invitation")
        verbose_name_plural = _("cohort invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="invitation_once_per_cohort")
        ]

    def __str__(self):
        return f"{self.email} → {self.cohort}"


class CohortMessage(models.Model):
    """A message lab staff sent to a cohort's confirmed members: who sent what to whom."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("cohort message")
        verbose_name_plural = _("cohort messages")
        ordering = ["-sent_at"]

    def __str__(self):
        return self.subject


class CohortDigest(models.Model):
    """One digest of a cohort for one period: what it covered and how sending went."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="digests")
    # The day the period ends (the due date, or the day staff sent one by hand); with the
    # cohort it names the period.
    period_end = models.DateField(_("period ends"))
    covers_from = models.DateTimeField(_("covers from"))
    covers_to = models.DateTimeField(_("covers until"))
    # What the digest says, frozen when it starts, so every chunk sends the same thing.
    content = models.JSONField(default=dict, blank=True)
    empty = models.BooleanField(_("nothing to say (not sent)"), default=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent now by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    members = models.PositiveIntegerField(_("members"), default=0)
    opted_out = models.PositiveIntegerField(_("switched digests off"), default=0)
    finished_at = models.DateTimeField(_("all queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort digest")
        verbose_name_plural = _("cohort digests")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "period_end"], name="digest_one_per_period")
        ]

    def __str__(self):
        return f"{self.cohort} – {self.period_end:%Y-%m-%d}"


class DigestRecord(models.Model):
    """Proof that one person was given one cohort's digest for one period: never twice."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    period_end = models.DateField(_("period ends"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="digest_records",
    )
    email = models.ForeignKey(
        "community.OutgoingEmail", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("digest record")
        verbose_name_plural = _("digest records")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "period_end", "user"], name="digest_once_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user_id} – {self.cohort_id} – {self.period_end:%Y-%m-%d}"
