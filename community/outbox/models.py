"""The record of every e-mail the platform sends (the outbox)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One e-mail, recorded in the transaction that caused it and delivered by Celery.

    Status moves pending -> sending -> sent (or back to pending for a retry, or failed
    after OUTBOX_MAX_ATTEMPTS). `sending` is claimed by a conditional update, so two
    workers never send the same record.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("to"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
    )
    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain-text body"), blank=True)
    body_html = models.TextField(_("HTML body"), blank=True)
    # Security e-mails (sign-in codes, reset links) are hidden from staff and blanked
    # once sent, so a leaked admin session or database dump cannot replay them.
    sensitive = models.BooleanField(_("sensitive"), default=False)
    # For e-mails a person can switch off: the one-click unsubscribe address (RFC 8058).
    list_unsubscribe = models.CharField(max_length=500, blank=True)
    # One optional attachment (a meeting's .ics), kept as text.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_content = models.TextField(blank=True)
    # Optional: "one per recipient and occasion" (e.g. "digest:12:2026H1:34").
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_due_idx")]

    def __str__(self):
        return f"{self.kind} to {self.to}"
