"""The choices of the catalogue and of enrolments, used by models, querysets and services."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


# A person holds at most one enrolment in these per target at a time.
ACTIVE_STATUSES = (
    EnrolmentStatus.APPLIED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.COMPLETED,
)
# These take a seat.
SEATED_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.COMPLETED)
