"""The learning app's part of personal data export and account deletion."""

from django.db.models import Q

from learning.models import Enrolment, Feedback, FollowUp, OutcomeRequest, SelfRating
from learning.services import EnrolmentRefused, enrolment_withdraw


def export(user):
    rows = Enrolment.objects.filter(user=user).select_related("offering", "programme", "cohort")
    return [
        {
            "target": (e.offering or e.programme).title,
            "kind": e.offering.mode if e.offering else "programme",
            "cohort": e.cohort.name if e.cohort else None,
            "status": e.status,
            "motivation": e.motivation,
            "line_manager_name": e.line_manager_name,
            "line_manager_email": e.line_manager_email,
            "created_at": e.created_at.isoformat(),
        }
        for e in rows.order_by("created_at")
    ]


def export_outcomes(user):
    """The person's self-ratings, feedback and follow-up answers, and when they were asked."""

    def target(enrolment):
        return (enrolment.offering or enrolment.programme).title

    ratings = SelfRating.objects.filter(user=user).select_related(
        "capability", "enrolment__offering", "enrolment__programme"
    )
    feedback = Feedback.objects.filter(enrolment__user=user).select_related(
        "enrolment__offering", "enrolment__programme"
    )
    follow_ups = FollowUp.objects.filter(enrolment__user=user).select_related(
        "enrolment__offering", "enrolment__programme"
    )
    asked = OutcomeRequest.objects.filter(enrolment__user=user).select_related(
        "enrolment__offering", "enrolment__programme"
    )
    return {
        "self_ratings": [
            {"target": target(r.enrolment), "capability": r.capability.name,
             "moment": r.moment, "level": r.level, "rated_at": r.rated_at.isoformat()}
            for r in ratings.order_by("rated_at", "pk")
        ],
        "feedback": [
            {"target": target(f.enrolment), "usefulness": f.usefulness,
             "will_use": f.will_use, "missing": f.missing, "recommend": f.recommend,
             "comments": f.comments, "given_at": f.created_at.isoformat(),
             "changed_at": f.updated_at.isoformat()}
            for f in feedback.order_by("created_at")
        ],
        "follow_ups": [
            {"target": target(f.enrolment), "used": f.used, "with_what": f.with_what,
             "with_whom": f.with_whom, "answered_at": f.answered_at.isoformat()}
            for f in follow_ups.order_by("answered_at")
        ],
        "asked": [
            {"target": target(a.enrolment), "kind": a.kind, "at": a.sent_at.isoformat()}
            for a in asked.order_by("sent_at")
        ],
    }  # fmt: skip


def erase(user, now):
    """Withdraws places and applications that are not over; anonymises applications."""
    today = now.date()
    Status = Enrolment.Status
    current = Enrolment.objects.filter(
        user=user, status__in=[Status.APPLIED, Status.WAITLISTED, Status.CONFIRMED]
    ).filter(
        Q(offering__ends_on__gte=today)
        | Q(offering__ends_on__isnull=True, offering__isnull=False)
        | Q(programme__ends_on__gte=today)
        | Q(programme__ends_on__isnull=True, programme__isnull=False)
    )
    for enrolment in current:
        try:
            enrolment_withdraw(
                enrolment=enrolment, by=None, reason="Account deleted", now=now, notify=False
            )
        except EnrolmentRefused:
            continue
    Enrolment.objects.filter(user=user).update(
        motivation="", line_manager_name="", line_manager_email=""
    )
    # Outcomes are the person's: all of them go (the lab's figures lose one answer).
    SelfRating.objects.filter(user=user).delete()
    Feedback.objects.filter(enrolment__user=user).delete()
    FollowUp.objects.filter(enrolment__user=user).delete()
