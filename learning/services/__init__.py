"""Every write in the learning app. Views, admin actions, commands and tasks call these.

catalogue.py   offerings: a change of seats reaches the waitlist
enrolments.py  enrol, withdraw, confirm, decline, waitlist, complete, attendance
cohorts.py     placing people in cohorts, invitations and CSV import, cohort messages
outcomes.py    self-ratings, feedback, the follow-up, and asking for them once

Cohorts are created and changed by community.services.cohorts (each has a forum space
and a digest schedule, which live in the community).
"""

from learning.services.catalogue import offering_create, offering_update
from learning.services.cohorts import (
    ImportResult,
    ImportRow,
    cohort_complete,
    cohort_import,
    cohort_message_deliver,
    cohort_message_send,
    invitation_accept,
    parse_invite_csv,
    parse_invite_text,
)
from learning.services.enrolments import (
    EnrolmentRefused,
    attendance_record,
    enrolment_complete,
    enrolment_confirm,
    enrolment_create,
    enrolment_decline,
    enrolment_place,
    enrolment_waitlist,
    enrolment_withdraw,
    waitlist_promote,
)
from learning.services.outcomes import (
    OutcomeRefused,
    feedback_editable,
    feedback_save,
    follow_up_due,
    follow_up_save,
    outcome_request_send,
    outcomes_tick,
    self_assessment_save,
)

__all__ = [
    "EnrolmentRefused",
    "ImportResult",
    "ImportRow",
    "OutcomeRefused",
    "attendance_record",
    "cohort_complete",
    "cohort_import",
    "cohort_message_deliver",
    "cohort_message_send",
    "enrolment_complete",
    "enrolment_confirm",
    "enrolment_create",
    "enrolment_decline",
    "enrolment_place",
    "enrolment_waitlist",
    "enrolment_withdraw",
    "feedback_editable",
    "feedback_save",
    "follow_up_due",
    "follow_up_save",
    "invitation_accept",
    "offering_create",
    "offering_update",
    "outcome_request_send",
    "outcomes_tick",
    "parse_invite_csv",
    "parse_invite_text",
    "self_assessment_save",
    "waitlist_promote",
]
