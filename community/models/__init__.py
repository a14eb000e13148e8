"""The community app's models. Django loads this module, so it imports the floor's
models too (community.accounts and community.outbox keep the `community` label and their
tables); they are re-exported for Django and the migrations that name them. New code
imports floor models from the floor.

people.py    alumni network: change agents, spread log, advice requests
meetings.py  sharing meetings: series, meetings, RSVPs, reminders
forums.py    spaces, topics, posts, reactions, follows, notifications, moderation
"""

from community.accounts.models import (
    TIME_ZONE_CHOICES,
    Organisation,
    User,
    UserManager,
    Visibility,
    handle_for,
)
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
from community.outbox.models import OutgoingEmail

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
