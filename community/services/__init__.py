"""Every write in the community app. Views, admin actions, commands and tasks call these.

emails.py    the outbox: queue, deliver, sweep
accounts.py  profiles
people.py    change agents, spread log, advice requests
meetings.py  sharing meetings: RSVPs, series roll-over, reminders
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
    "RsvpRefused",
    "account_delete",
    "advice_close",
    "advice_reply",
    "advice_request_create",
    "calendar_token_reset",
    "calendar_token_revoke",
    "change_agent_decide",
    "change_agent_designate",
    "change_agent_nominate",
    "email_deliver",
    "email_queue",
    "email_sweep",
    "enqueue_after_commit",
    "invitees",
    "is_invited",
    "meeting_cancel",
    "meeting_report_write",
    "meeting_reschedule",
    "meeting_rsvp",
    "meeting_schedule",
    "personal_data_export",
    "profile_update",
    "reminders_send",
    "report_reminders_send",
    "series_roll",
    "spread_activity_save",
    "spread_activity_verify",
]
