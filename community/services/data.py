"""The community's part of personal data export and account deletion: change agents,
advice, meeting answers, forum posts (registered in CommunityConfig.ready)."""

from django.db.models import Q

from community.models import (
    AdviceRequest,
    ChangeAgent,
    Follow,
    Notification,
    Post,
    Rsvp,
)
from community.services.meetings import RsvpRefused, meeting_rsvp


def _when(value):
    return value.isoformat() if value else None


def export_change_agent(user):
    agent = ChangeAgent.objects.filter(user=user).select_related("home_agency").first()
    if agent is None:
        return None
    return {
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
    }


def export_advice(user):
    requests = (
        AdviceRequest.objects.filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient")
        .prefetch_related("replies__author")
    )
    return [
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
    ]


def export_meetings(user):
    return [
        {
            "meeting": r.meeting.title,
            "starts_at": _when(r.meeting.starts_at),
            "answer": r.answer,
            "waitlisted": r.waitlisted,
            "attended": r.attended,
        }
        for r in Rsvp.objects.filter(user=user).select_related("meeting")
    ]


def export_posts(user):
    return [
        {
            "topic": p.topic.title,
            "space": p.topic.space.name,
            "body": p.body,
            "at": _when(p.created_at),
            "deleted": p.deleted_at is not None,
        }
        for p in Post.objects.filter(author=user).select_related("topic__space")
    ]


def erase(user, now):
    """Open conversations closed, the designation ended, future meeting answers withdrawn
    (the seat goes to the next person waiting), follows and notifications deleted. Posts
    stay, attributed to "Former member" once the account is blanked."""
    AdviceRequest.objects.filter(
        Q(requester=user) | Q(recipient=user), status__in=AdviceRequest.OPEN_STATUSES
    ).update(status=AdviceRequest.Status.CLOSED, updated_at=now)
    ChangeAgent.objects.filter(user=user).update(status=ChangeAgent.Status.ENDED, commitment="")
    for rsvp in Rsvp.objects.filter(
        user=user, meeting__starts_at__gt=now, answer__in=[Rsvp.Answer.GOING, Rsvp.Answer.MAYBE]
    ).select_related("meeting"):
        try:
            meeting_rsvp(meeting=rsvp.meeting, user=user, answer=Rsvp.Answer.NOT_GOING, now=now)
        except RsvpRefused:
            Rsvp.objects.filter(pk=rsvp.pk).update(answer=Rsvp.Answer.NOT_GOING, waitlisted=False)
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
