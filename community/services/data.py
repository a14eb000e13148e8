"""Personal data rights: everything about a person as JSON, and account deletion."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from community import data_rights
from community.models import (
    AdviceRequest,
    ChangeAgent,
    Follow,
    Notification,
    OutgoingEmail,
    Post,
    Rsvp,
    Visibility,
)
from community.services.meetings import RsvpRefused, meeting_rsvp
from innolab import pagecache

FORMER_MEMBER = "Former member"


def _when(value):
    return value.isoformat() if value else None


def personal_data_export(*, user):
    """A dict of everything the platform holds about `user` (serialise it as JSON)."""
    agent = ChangeAgent.objects.filter(user=user).select_related("home_agency").first()
    requests = (
        AdviceRequest.objects.filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient")
        .prefetch_related("replies__author")
    )
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "handle": user.handle,
            "display_name": user.display_name,
            "job_title": user.job_title,
            "organisation": user.organisation.name if user.organisation else None,
            "country": str(user.country) if user.country else None,
            "time_zone": user.time_zone,
            "preferred_language": user.preferred_language,
            "bio": user.bio,
            "expertise": sorted(t.name for t in user.expertise.all()),
            "visibility": user.visibility,
            "open_to_advice": user.open_to_advice,
            "advice_topics": user.advice_topics,
            "alumnus_since": _when(user.alumnus_since),
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "change_agent": None
        if agent is None
        else {
            "status": agent.status,
            "home_agency": agent.home_agency.name,
            "commitment": agent.commitment,
            "designated_on": _when(agent.designated_on),
            "activities": [
                {
                    "kind": a.kind,
                    "date": _when(a.happened_on),
                    "agency": a.agency.name,
                    "team": a.team,
                    "people_reached": a.people_reached,
                    "description": a.description,
                    "verified": a.verified_at is not None,
                }
                for a in agent.activities.select_related("agency")
            ],
        },
        "advice_requests": [
            {
                "role": "sent" if r.requester_id == user.pk else "received",
                "with": (r.recipient if r.requester_id == user.pk else r.requester).display_name,
                "subject": r.subject,
                "message": r.message,
                "status": r.status,
                "sent_at": _when(r.created_at),
                "replies": [
                    {
                        "by": "me" if reply.author_id == user.pk else reply.author.display_name,
                        "body": reply.body,
                        "at": _when(reply.created_at),
                    }
                    for reply in r.replies.all()
                ],
            }
            for r in requests
        ],
        "meetings": [
            {
                "meeting": r.meeting.title,
                "starts_at": _when(r.meeting.starts_at),
                "answer": r.answer,
                "waitlisted": r.waitlisted,
                "attended": r.attended,
            }
            for r in Rsvp.objects.filter(user=user).select_related("meeting")
        ],
        "forum_posts": [
            {
                "topic": p.topic.title,
                "space": p.topic.space.name,
                "body": p.body,
                "at": _when(p.created_at),
                "deleted": p.deleted_at is not None,
            }
            for p in Post.objects.filter(author=user).select_related("topic__space")
        ],
        "emails_sent_to_me": [
            {"kind": e.kind, "subject": e.subject, "status": e.status, "at": _when(e.created_at)}
            for e in OutgoingEmail.objects.filter(user=user).order_by("created_at")
        ],
    }
    for section, exporter in data_rights.exporters().items():
        data[section] = exporter(user)
    return data


@transaction.atomic
def account_delete(*, user, now=None):
    """Erases a person's personal data and closes their account for good.

    The user row stays (history and constraints hold) with every personal field blanked;
    contributions stay, attributed to "Former member"; future enrolments, meeting answers
    and open conversations are withdrawn; pending e-mails are cancelled and the e-mail log blanked;
    login is impossible (unusable password, inactive, no e-mail address, no MFA).
    """
    now = now or timezone.now()
    for eraser in data_rights.erasers():
        eraser(user, now)
    AdviceRequest.objects.filter(
        Q(requester=user) | Q(recipient=user), status__in=AdviceRequest.OPEN_STATUSES
    ).update(status=AdviceRequest.Status.CLOSED, updated_at=now)
    ChangeAgent.objects.filter(user=user).update(status=ChangeAgent.Status.ENDED, commitment="")
    # Future meetings: answer "not going" through the service, so the seat goes to the
    # next person waiting; no more reminders, and the calendar feed stops.
    for rsvp in Rsvp.objects.filter(
        user=user, meeting__starts_at__gt=now, answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.MAYBE]
    ).select_related("meeting"):
        try:
            meeting_rsvp(meeting=rsvp.meeting, user=user, answer=Rsvp.Answer.NOT_GOING, now=now)
        except RsvpRefused:
            Rsvp.objects.filter(pk=rsvp.pk).update(answer=Rsvp.Answer.NOT_GOING, waitlisted=False)
    user.calendar_token = None
    # Following and notifications are personal: they go. Posts stay, as "Former member".
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    OutgoingEmail.objects.filter(Q(user=user) | Q(to__iexact=user.email)).filter(
        status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING]
    ).update(status=OutgoingEmail.Status.FAILED, last_error="Account deleted")
    OutgoingEmail.objects.filter(Q(user=user) | Q(to__iexact=user.email)).update(
        to="erased@invalid.invalid", subject="(erased)", body_text="", body_html="", user=None
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()

    user.email = f"erased-{user.pk}@invalid.invalid"
    user.handle = f"former-member-{user.pk}"
    user.display_name = FORMER_MEMBER
    user.job_title = ""
    user.organisation = None
    user.country = ""
    user.bio = ""
    user.advice_topics = ""
    user.open_to_advice = False
    user.visibility = Visibility.HIDDEN
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    # A new (unusable) password also changes the session hash: every session ends.
    user.set_unusable_password()
    user.save()
    user.expertise.clear()
    user.groups.clear()
    # Most of the above bypasses model signals; the person may appear on any page.
    pagecache.bump(*pagecache.AREAS, f"user:{user.pk}")
    user.user_permissions.clear()
