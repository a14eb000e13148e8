"""The alumni network: change agents and their spread log, advice between members."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeAgent(models.Model):
    """An alumnus who carries the practice back into their own agency."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated, waiting for lab staff")
        ACTIVE = "active", _("Active change agent")
        DECLINED = "declined", _("Nomination declined")
        ENDED = "ended", _("No longer a change agent")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="change_agent",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    home_agency = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("home agency"),
        on_delete=models.PROTECT,
        related_name="change_agents",
    )
    commitment = models.TextField(
        _("commitment"),
        blank=True,
        help_text=_("What they intend to spread, and where."),
    )
    nominated_at = models.DateTimeField(_("nominated at"), null=True, blank=True)
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("designated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("change agent")
        verbose_name_plural = _("change agents")
        ordering = ["-designated_on", "pk"]

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class SpreadActivity(models.Model):
    """One entry of a change agent's spread log: how the practice travelled."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Ran a workshop")
        PROJECT = "project", _("Started a project")
        COACHING = "coaching", _("Coached colleagues")
        ADOPTION = "adoption", _("A team adopted a practice")
        TALK = "talk", _("Gave a talk or demo")
        OTHER = "other", _("Something else")

    change_agent = models.ForeignKey(
        ChangeAgent, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    agency = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.CharField(_("team"), max_length=150, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"))
    description = models.TextField(_("short description"), max_length=2000)
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spread activity")
        verbose_name_plural = _("spread activities")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["happened_on"], name="spread_happened_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.happened_on})"


class AdviceRequest(models.Model):
    """A member asks an alumnus for advice; addresses are never revealed to each other."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES = (Status.OPEN, Status.ANSWERED)

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="advice_sent",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked of"),
        on_delete=models.CASCADE,
        related_name="advice_received",
    )
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("advice request")
        verbose_name_plural = _("advice requests")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=Q(status__in=["open", "answered"]),
                name="advice_one_open_request_per_recipient",
                violation_error_message=_("You already have an open request with this person."),
            ),
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="advice_not_to_oneself"
            ),
        ]
        indexes = [models.Index(fields=["requester", "created_at"], name="advice_daily_idx")]

    def __str__(self):
        return self.subject

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class AdviceReply(models.Model):
    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("reply"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("advice reply")
        verbose_name_plural = _("advice replies")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Reply to {self.request}"
