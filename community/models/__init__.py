"""community models, by sub-domain.

accounts.py  people (User) and organisations
emails.py    the outbox of every e-mail sent
people.py    alumni network: change agents, spread log, advice requests
"""

from community.models.accounts import (
    TIME_ZONE_CHOICES,
    Organisation,
    User,
    UserManager,
    Visibility,
    handle_for,
)
from community.models.emails import OutgoingEmail
from community.models.forums import (
    Flag,
    Follow,
    ModerationAction,
    Notification,
    Post,
    PostRevision,
    Reaction,
    Space,
    Topic,
    TopicRead,
)
from community.models.meetings import (
    Meeting,
    MeetingFormat,
    MeetingReminder,
    MeetingSeries,
    Rsvp,
)
from community.models.people import (
    AdviceReply,
    AdviceRequest,
    ChangeAgent,
    SpreadActivity,
)

__all__ = [
    "TIME_ZONE_CHOICES",
    "AdviceReply",
    "AdviceRequest",
    "ChangeAgent",
    "Flag",
    "Follow",
    "Meeting",
    "MeetingFormat",
    "MeetingReminder",
    "MeetingSeries",
    "ModerationAction",
    "Notification",
    "Organisation",
    "OutgoingEmail",
    "Post",
    "PostRevision",
    "Reaction",
    "Rsvp",
    "Space",
    "SpreadActivity",
    "Topic",
    "TopicRead",
    "User",
    "UserManager",
    "Visibility",
    "handle_for",
]
