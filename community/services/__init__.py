"""Every write in the community app. Views, admin actions, commands and tasks call these.

emails.py    the outbox: queue, deliver, sweep
accounts.py  profiles
people.py    change agents, spread log, advice requests
meetings.py  sharing meetings: RSVPs, series roll-over, reminders
forums.py    spaces, topics, posts, reactions, moderation
data.py      personal data: export and account deletion
"""

from community.services.accounts import profile_update
from community.services.data import account_delete, personal_data_export
from community.services.emails import (
    SWEEP_GRACE,
    email_deliver,
    email_queue,
    email_sweep,
    enqueue_after_commit,
)
from community.services.forums import (
    PostRefused,
    answer_accept,
    can_read,
    cohort_space_ensure,
    flag_create,
    flags_dismiss,
    post_delete,
    post_edit,
    post_hide,
    post_reply,
    post_restore,
    reaction_add,
    topic_create,
    topic_mark_read,
    topic_moderate,
)
from community.services.meetings import (
    RsvpRefused,
    calendar_token_reset,
    calendar_token_revoke,
    invitees,
    is_invited,
    meeting_cancel,
    meeting_report_write,
    meeting_reschedule,
    meeting_rsvp,
    meeting_schedule,
    reminders_send,
    report_reminders_send,
    series_roll,
)
from community.services.people import (
    AdviceRefused,
    advice_close,
    advice_reply,
    advice_request_create,
    change_agent_decide,
    change_agent_designate,
    change_agent_nominate,
    spread_activity_save,
    spread_activity_verify,
)

__all__ = [
    "SWEEP_GRACE",
    "AdviceRefused",
    "PostRefused",
    "RsvpRefused",
    "account_delete",
    "advice_close",
    "advice_reply",
    "advice_request_create",
    "answer_accept",
    "calendar_token_reset",
    "calendar_token_revoke",
    "can_read",
    "change_agent_decide",
    "change_agent_designate",
    "change_agent_nominate",
    "cohort_space_ensure",
    "email_deliver",
    "email_queue",
    "email_sweep",
    "enqueue_after_commit",
    "flag_create",
    "flags_dismiss",
    "invitees",
    "is_invited",
    "meeting_cancel",
    "meeting_report_write",
    "meeting_reschedule",
    "meeting_rsvp",
    "meeting_schedule",
    "personal_data_export",
    "post_delete",
    "post_edit",
    "post_hide",
    "post_reply",
    "post_restore",
    "profile_update",
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
