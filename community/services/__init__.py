"""Every write of the community's roof, by sub-domain. Views, admin actions, commands and
tasks call these; the floor's writes are in community.accounts.services (profiles, data
rights) and community.outbox.services (e-mail).

people.py         change agents, spread log, advice requests
meetings.py       sharing meetings: RSVPs, series roll-over, reminders, changes
forums.py         topics, posts, reactions, read marks, following
moderation.py     flags, hiding posts, locking, pinning and moving topics
notifications.py  who hears of a new post, on the site and by e-mail; summaries
cohorts.py        creating and changing cohorts (their forum space and digest schedule)
digests.py        six-monthly cohort digests: schedule, send now, chunks sent exactly once
data.py           the community's part of data export and account deletion
"""

from community.services.cohorts import cohort_create, cohort_update
from community.services.digests import (
    DigestRefused,
    cohort_digest_send_now,
    digest_chunk_send,
    digest_schedule,
    digests_resume,
    digests_send_due,
)
from community.services.forums import (
    PostRefused,
    answer_accept,
    follow_toggle,
    post_delete,
    post_edit,
    post_reply,
    reaction_add,
    topic_create,
    topic_mark_read,
)
from community.services.meetings import (
    RsvpRefused,
    calendar_token_reset,
    calendar_token_revoke,
    meeting_cancel,
    meeting_create,
    meeting_report_write,
    meeting_reschedule,
    meeting_rsvp,
    meeting_schedule,
    meeting_update,
    reminders_send,
    report_reminders_send,
    series_roll,
)
from community.services.moderation import (
    flag_create,
    flags_dismiss,
    post_hide,
    post_restore,
    topic_moderate,
)
from community.services.notifications import (
    forum_daily_send,
    forum_notify_sweep,
    forum_post_notify,
    mentioned_handles,
    notifications_mark_read,
)
from community.services.people import (
    AdviceRefused,
    advice_close,
    advice_reply,
    advice_request_create,
    change_agent_decide,
    change_agent_designate,
    change_agent_nominate,
    designation_end,
    spread_activity_save,
    spread_activity_verify,
)

__all__ = [
    "AdviceRefused",
    "DigestRefused",
    "PostRefused",
    "RsvpRefused",
    "advice_close",
    "advice_reply",
    "advice_request_create",
    "answer_accept",
    "calendar_token_reset",
    "calendar_token_revoke",
    "change_agent_decide",
    "change_agent_designate",
    "change_agent_nominate",
    "cohort_create",
    "cohort_digest_send_now",
    "cohort_update",
    "designation_end",
    "digest_chunk_send",
    "digest_schedule",
    "digests_resume",
    "digests_send_due",
    "flag_create",
    "flags_dismiss",
    "follow_toggle",
    "forum_daily_send",
    "forum_notify_sweep",
    "forum_post_notify",
    "meeting_cancel",
    "meeting_create",
    "meeting_report_write",
    "meeting_reschedule",
    "meeting_rsvp",
    "meeting_schedule",
    "meeting_update",
    "mentioned_handles",
    "notifications_mark_read",
    "post_delete",
    "post_edit",
    "post_hide",
    "post_reply",
    "post_restore",
    "reaction_add",
    "reminders_send",
    "report_reminders_send",
    "series_roll",
    "spread_activity_save",
    "spread_activity_verify",
    "topic_create",
    "topic_mark_read",
    "topic_moderate",
]
