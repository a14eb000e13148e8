"""The community app's admin, by sub-domain. Django imports this module; importing the
floor's admin modules here registers people, organisations and the outbox too."""

from community.accounts import admin as accounts_admin
from community.admin import cohorts, forums, meetings, people, schedules
from community.outbox import admin as outbox_admin

__all__ = [
    "accounts_admin", "cohorts", "forums", "meetings", "outbox_admin", "people", "schedules",
]  # fmt: skip
