"""Learning outcomes: the capability framework, what people say of their own capability,
their feedback at the end, and the follow-up three months later.

A person's ratings and answers are theirs alone: no page shows one person's to anyone
else, lab staff included; lab staff see aggregates over at least five people
(learning.policy.enough_people).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models.enrolments import Enrolment


class CapabilityArea(models.Model):
    """A group of capabilities, e.g. "Trying things and learning from them"."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("capability area")
        verbose_name_plural = _("capability areas")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Level(models.IntegerChoices):
    NEW = 1, _("New to this")
    WITH_SUPPORT = 2, _("Can do it with support")
    ON_MY_OWN = 3, _("Can do it on my own")
    COULD_TEACH = 4, _("Could teach it")


class Capability(models.Model):
    """One capability, with what each of the four levels looks like in practice."""

    area = models.ForeignKey(
        CapabilityArea,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="capabilities",
    )
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=300)
    level_1 = models.CharField(_("level 1: new to this"), max_length=300)
    level_2 = models.CharField(_("level 2: can do it with support"), max_length=300)
    level_3 = models.CharField(_("level 3: can do it on my own"), max_length=300)
    level_4 = models.CharField(_("level 4: could teach it"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        ordering = ["area__position", "area__name", "position", "name"]

    def __str__(self):
        return self.name

    def descriptors(self):
        """[(level, its label, what it looks like)] from 1 to 4."""
        return [(level, label, getattr(self, f"level_{level}")) for level, label in Level.choices]


class Moment(models.TextChoices):
    START = "start", _("When I enrolled")
    FOLLOW_UP = "follow_up", _("Three months after")


class SelfRating(models.Model):
    """How a person rates themselves on one capability, at the start of a place or at
    its follow-up. Private to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_ratings"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="self_ratings")
    # A capability someone rated themselves on cannot be deleted (their growth would go).
    capability = models.ForeignKey(
        Capability, on_delete=models.PROTECT, related_name="self_ratings"
    )
    moment = models.CharField(_("when"), max_length=10, choices=Moment.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("self-rating")
        verbose_name_plural = _("self-ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "capability", "moment"], name="one_rating_per_moment"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="rating_level_1_to_4"
            ),
        ]
        indexes = [models.Index(fields=["user", "capability"], name="rating_user_cap_idx")]

    def __str__(self):
        return f"{self.capability_id}: {self.level}"


class Usefulness(models.IntegerChoices):
    NOT = 1, _("Not useful")
    LITTLE = 2, _("A little useful")
    QUITE = 3, _("Quite useful")
    VERY = 4, _("Very useful")


class Feedback(models.Model):
    """What a person says at the end of a place they completed: one per place, editable
    for FEEDBACK_EDITABLE_DAYS."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="feedback")
    usefulness = models.PositiveSmallIntegerField(
        _("How useful was it for your work?"), choices=Usefulness.choices
    )
    will_use = models.TextField(_("What will you use?"), max_length=2000, blank=True)
    missing = models.TextField(_("What was missing?"), max_length=2000, blank=True)
    recommend = models.PositiveSmallIntegerField(
        _("How likely are you to recommend it to a colleague? (0 to 10)")
    )
    comments = models.TextField(_("Anything else?"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recommend__lte=10), name="feedback_recommend_0_to_10"
            ),
            models.CheckConstraint(
                condition=models.Q(usefulness__gte=1, usefulness__lte=4),
                name="feedback_usefulness_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{_('feedback')} {self.pk}"


class UsedAtWork(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet")
    ONCE = "once", _("Once")
    REGULARLY = "regularly", _("Regularly")
    TAUGHT = "taught", _("I taught it to colleagues")


# The answers that count as "used it back at work".
USED = (UsedAtWork.ONCE, UsedAtWork.REGULARLY, UsedAtWork.TAUGHT)


class FollowUp(models.Model):
    """Whether a person carried what they learned back into their agency, three months
    after completing it. One per place."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="follow_up")
    used = models.CharField(
        _("Have you used it back at work?"), max_length=10, choices=UsedAtWork.choices
    )
    with_what = models.TextField(_("With what?"), max_length=2000, blank=True)
    with_whom = models.TextField(_("With whom?"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{_('follow-up')} {self.pk}"


class OutcomeRequest(models.Model):
    """The proof that a person was asked: once per place and kind, whatever runs twice."""

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Feedback at the end")
        REMINDER = "reminder", _("Feedback reminder")
        FOLLOW_UP = "follow_up", _("Follow-up at three months")

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="outcome_requests"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("asked at"), default=timezone.now)

    class Meta:
        verbose_name = _("outcome request")
        verbose_name_plural = _("outcome requests")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "kind"], name="one_request_per_kind")
        ]
        indexes = [models.Index(fields=["kind", "sent_at"], name="outcome_request_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.enrolment_id}"
