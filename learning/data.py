"""The learning app's part of personal data export and account deletion."""

from django.db.models import Q

from learning.models import Enrolment
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
