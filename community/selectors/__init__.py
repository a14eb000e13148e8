"""The reads the community pages need, by sub-domain. Each page's data in a fixed number
of queries; who may see what is decided by the policy modules (community.policy,
community.accounts.policy, learning.policy), never in views or templates.

people.py    who may see whom, profiles, the directory, advice, change agents
reach.py     how far the practice spread
meetings.py  who is invited, meeting lists and pages, calendar feeds
forums.py    who may read a space, spaces, topics, posts, notifications, moderation
search.py    forum search
"""

from community.selectors.forums import (
    CountedApart,
    is_following,
    moderation_queue,
    notifications_for,
    post_for_moderation,
    post_get,
    post_in_topic,
    space_by_id,
    space_get,
    space_list,
    topic_for_moderation,
    topic_get,
    topic_list,
    topic_posts,
)
from community.selectors.meetings import (
    calendar_feed_meetings,
    calendar_owner,
    meeting_get,
    meeting_list,
    meeting_people_going,
    rsvp_of,
    rsvp_waitlist_position,
    seats_taken,
)
from community.selectors.people import (
    advice_for,
    advice_get,
    change_agent_of,
    directory,
    person_get,
    spread_activity_get,
    spread_log,
)
from community.selectors.reach import Reach, reach
from community.selectors.search import forum_search

__all__ = [
    "CountedApart",
    "Reach",
    "advice_for",
    "advice_get",
    "calendar_feed_meetings",
    "calendar_owner",
    "change_agent_of",
    "directory",
    "forum_search",
    "is_following",
    "meeting_get",
    "meeting_list",
    "meeting_people_going",
    "moderation_queue",
    "notifications_for",
    "person_get",
    "post_for_moderation",
    "post_get",
    "post_in_topic",
    "reach",
    "rsvp_of",
    "rsvp_waitlist_position",
    "seats_taken",
    "space_by_id",
    "space_get",
    "space_list",
    "spread_activity_get",
    "spread_log",
    "topic_for_moderation",
    "topic_get",
    "topic_list",
    "topic_posts",
]
