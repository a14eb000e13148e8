"""Every write in the learning app. Views, admin actions, commands and tasks call these.

enrolments.py  enrol, withdraw, confirm, decline, waitlist, complete, attendance
cohorts.py     placing people in cohorts, invitations and CSV import, cohort messages
"""

from learning.services.cohorts import *  # noqa: F403
from learning.services.enrolments import *  # noqa: F403
