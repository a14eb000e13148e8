"""The catalogue: programmes, offerings of three modes, and the sessions of a class."""

from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from learning.models.choices import Format, Mode, Policy, Publication
from learning.querysets import OfferingQuerySet, ProgrammeQuerySet


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
    # Confirmed and completed places: kept by the enrolment services with every status
    # change (learning.services.enrolments._record), so pages read it without counting.
    seats_taken = models.PositiveIntegerField(
        _("places taken"), default=0, db_default=0, editable=False
    )
    capabilities = models.ManyToManyField(
        "learning.Capability",
        verbose_name=_("capabilities it develops"),
        blank=True,
        related_name="%(class)ss",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # seats_taken is counted by the enrolment services (F() updates under the row
        # lock): saving a copy loaded earlier must never write its count back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "seats_taken"
            ]
        super().save(*args, **kwargs)

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
