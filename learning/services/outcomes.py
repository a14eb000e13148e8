"""Writes of learning outcomes: self-ratings, feedback at the end, the follow-up three
months later, and the requests that ask for them (each at most once per place and kind,
proven by an OutcomeRequest row, whatever runs twice)."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.errors import Refused
from community.outbox.services import email_queue
from learning import policy
from learning.models import (
    Feedback,
    FollowUp,
    Moment,
    OutcomeRequest,
    SelfRating,
    UsedAtWork,
)

Kind = OutcomeRequest.Kind

# The e-mail each request sends.
EMAIL_KINDS = {
    Kind.FEEDBACK: "learning/outcome_feedback",
    Kind.REMINDER: "learning/outcome_reminder",
    Kind.FOLLOW_UP: "learning/outcome_follow_up",
}
# How far back the tick looks: places completed before outcomes were asked for, or long
# ago, are not asked about out of the blue.
LOOKBACK = timedelta(days=30)


class OutcomeRefused(Refused):
    """An answer the rules do not take (not your place, not completed, too late)."""


def _own(enrolment, user):
    if not policy.owns_outcomes(user, enrolment):
        raise OutcomeRefused(_("This place is not yours."))


def _completed(enrolment):
    if not policy.is_completed(enrolment):
        raise OutcomeRefused(_("You can say how it went once your place is completed."))


def _levels_save(*, enrolment, moment, levels, now):
    """Keeps the person's rating per capability the target develops; others are ignored,
    and a capability left unrated is not recorded."""
    known = set(enrolment.target.capabilities.values_list("pk", flat=True))
    for capability_id, level in levels.items():
        if capability_id not in known or not level:
            continue
        SelfRating.objects.update_or_create(
            enrolment=enrolment,
            capability_id=capability_id,
            moment=moment,
            defaults={"user_id": enrolment.user_id, "level": int(level), "rated_at": now},
        )


@transaction.atomic
def self_assessment_save(*, enrolment, user, levels, now=None):
    """Records how `user` rates themselves on the capabilities of the place they just
    took (`levels`: {capability id: 1 to 4}). Optional, private, changeable until the
    follow-up. Raises OutcomeRefused for someone else's place."""
    _own(enrolment, user)
    _levels_save(enrolment=enrolment, moment=Moment.START, levels=levels, now=now or timezone.now())


def feedback_editable(feedback, now=None):
    now = now or timezone.now()
    return now < feedback.created_at + timedelta(days=settings.FEEDBACK_EDITABLE_DAYS)


@transaction.atomic
def feedback_save(*, enrolment, user, data, now=None):
    """Records (or, within FEEDBACK_EDITABLE_DAYS of the first answer, changes) the
    feedback on a completed place: `data` has usefulness, will_use, missing, recommend and
    comments. Raises OutcomeRefused for someone else's place, one not completed, or an
    answer past its time. Returns the Feedback."""
    now = now or timezone.now()
    _own(enrolment, user)
    _completed(enrolment)
    fields = {key: data[key] for key in ("usefulness", "will_use", "missing", "recommend")}
    fields["comments"] = data.get("comments", "")
    feedback = Feedback.objects.select_for_update().filter(enrolment=enrolment).first()
    if feedback is None:
        return Feedback.objects.create(
            enrolment=enrolment, created_at=now, updated_at=now, **fields
        )
    if not feedback_editable(feedback, now):
        raise OutcomeRefused(
            _("Feedback can be changed for %(n)s days; this answer is kept as it is.")
            % {"n": settings.FEEDBACK_EDITABLE_DAYS}
        )
    for key, value in fields.items():
        setattr(feedback, key, value)
    feedback.updated_at = now
    feedback.save()
    return feedback


def follow_up_due(enrolment, now=None):
    """Whether the follow-up can be answered: the place was completed at least
    OUTCOME_FOLLOW_UP_DAYS ago, or the person was already asked."""
    if not policy.is_completed(enrolment):
        return False
    return policy.follow_up_open(
        decided_at=enrolment.decided_at,
        asked=enrolment.outcome_requests.filter(kind=Kind.FOLLOW_UP).exists(),
        now=now or timezone.now(),
    )


@transaction.atomic
def follow_up_save(*, enrolment, user, used, with_what="", with_whom="", levels=None, now=None):
    """Records whether the person used what they learned back at work, and their new
    self-ratings. Once per place (a second answer changes the first). Raises
    OutcomeRefused for someone else's place or before the follow-up is due. Returns the
    FollowUp."""
    now = now or timezone.now()
    _own(enrolment, user)
    if not follow_up_due(enrolment, now):
        raise OutcomeRefused(
            _("The follow-up opens %(n)s days after a place is completed.")
            % {"n": settings.OUTCOME_FOLLOW_UP_DAYS}
        )
    if used not in UsedAtWork.values:
        raise OutcomeRefused(_("Choose one of the answers."))
    follow_up, _created = FollowUp.objects.update_or_create(
        enrolment=enrolment,
        defaults={"used": used, "with_what": with_what.strip(), "with_whom": with_whom.strip(),
                  "answered_at": now},
    )  # fmt: skip
    _levels_save(enrolment=enrolment, moment=Moment.FOLLOW_UP, levels=levels or {}, now=now)
    return follow_up


# --- Asking -------------------------------------------------------------------------------


def outcome_request_send(*, enrolment, kind, now=None):
    """Asks the person of a completed place for feedback, reminds them, or asks the
    follow-up: records the request (unique per place and kind) and queues the e-mail in
    the same transaction, so a second run, a second worker or a retried task sends
    nothing more. The e-mail respects the person's choice (community.outbox); the request
    is recorded either way, and My learning asks on the site. Returns True when this call
    asked."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            OutcomeRequest.objects.create(enrolment=enrolment, kind=kind, sent_at=now)
            person = enrolment.user
            if person.is_active:
                path = "learning:follow-up" if kind == Kind.FOLLOW_UP else "learning:feedback"
                email_queue(
                    to=person.email,
                    user=person,
                    kind=EMAIL_KINDS[kind],
                    context={
                        "enrolment": enrolment,
                        "target": enrolment.target,
                        "url": settings.SITE_URL + reverse(path, args=[enrolment.pk]),
                    },
                    dedupe_key=f"outcome:{kind}:{enrolment.pk}",
                    now=now,
                )
    except IntegrityError:
        return False
    return True


def outcomes_tick(*, now=None, limit=500):
    """The periodic task's work: feedback requests for places completed in the last 30
    days and not yet asked (completing a place asks at once; this catches any left over),
    one reminder OUTCOME_REMINDER_DAYS after a request still unanswered, and the follow-up
    OUTCOME_FOLLOW_UP_DAYS after completion. Safe to run twice or in parallel. Returns
    {kind: number asked}."""
    now = now or timezone.now()
    completed = policy.completed_enrolments().select_related("user", "offering", "programme")
    sent = dict.fromkeys(Kind.values, 0)

    def asked(kind):
        return OutcomeRequest.objects.filter(kind=kind).values("enrolment")

    follow_up_after = timedelta(days=settings.OUTCOME_FOLLOW_UP_DAYS)
    remind_after = timedelta(days=settings.OUTCOME_REMINDER_DAYS)
    plans = [
        (
            Kind.FEEDBACK,
            completed.filter(decided_at__gte=now - LOOKBACK, feedback__isnull=True).exclude(
                pk__in=asked(Kind.FEEDBACK)
            ),
        ),
        (
            Kind.REMINDER,
            completed.filter(feedback__isnull=True)
            .filter(
                pk__in=OutcomeRequest.objects.filter(
                    kind=Kind.FEEDBACK,
                    sent_at__lte=now - remind_after,
                    sent_at__gte=now - LOOKBACK,
                ).values("enrolment")
            )
            .exclude(pk__in=asked(Kind.REMINDER)),
        ),
        (
            Kind.FOLLOW_UP,
            completed.filter(
                decided_at__lte=now - follow_up_after,
                decided_at__gte=now - follow_up_after - LOOKBACK,
                follow_up__isnull=True,
            ).exclude(pk__in=asked(Kind.FOLLOW_UP)),
        ),
    ]
    for kind, enrolments in plans:
        for enrolment in enrolments.order_by("pk")[:limit]:
            sent[kind] += outcome_request_send(enrolment=enrolment, kind=kind, now=now)
    return sent
