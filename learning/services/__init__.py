"""Every write in the learning app. Views, admin actions, commands and tasks call these.

enrolments.py  enrol, withdraw, confirm, decline, waitlist, complete, attendance
cohorts.py     placing people in cohorts, invitations and CSV import, cohort messages
digests.py     six-monthly cohort digests: schedule, send now, chunks sent exactly once
"""

from learning.services.cohorts import *  # noqa: F403
from learning.services.digests import *  # noqa: F403
from learning.services.enrolments import *  # noqa: F403
