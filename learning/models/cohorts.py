"""Cohorts: intakes of an offering or a programme, their invitations, messages and
digests."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models.catalogue import Offering, Programme


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
    # Six-monthly digests (community.services.digests): due every `digest_months` counted
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


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Not used yet, and sent less than INVITATION_DAYS ago."""
        now = now or timezone.now()
        return self.filter(
            accepted_at__isnull=True,
            created_at__gt=now - timedelta(days=settings.INVITATION_DAYS),
        )


class CohortInvitation(models.Model):
    """An invitation to join a cohort, e-mailed to someone without an account yet.

    The link carries `token`; whoever opens it signed in (after signing up or logging in)
    is asked to join, by POST, and warned when the invitation was for another address.
    It expires after INVITATION_DAYS.
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

    objects = InvitationQuerySet.as_manager()

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
    """A message lab staff sent to a cohort's members: who sent what to whom."""

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
