"""Every write in the community app. Views, admin actions, commands and tasks call these.

emails.py    the outbox: queue, deliver, sweep
accounts.py  profiles
people.py    change agents, spread log, advice requests
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
    "account_delete",
    "advice_close",
    "advice_reply",
    "advice_request_create",
    "change_agent_decide",
    "change_agent_designate",
    "change_agent_nominate",
    "email_deliver",
    "email_queue",
    "email_sweep",
    "enqueue_after_commit",
    "personal_data_export",
    "profile_update",
    "spread_activity_save",
    "spread_activity_verify",
]
