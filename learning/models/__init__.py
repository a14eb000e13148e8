"""The learning app's models, by sub-domain.

choices.py     modes, formats, policies, publication and enrolment statuses
catalogue.py   Programme, Offering (three modes of learning), Session
cohorts.py     Cohort, CohortInvitation, CohortMessage, CohortDigest, DigestRecord
enrolments.py  Enrolment, EnrolmentStatusChange, Attendance
outcomes.py    CapabilityArea, Capability, SelfRating, Feedback, FollowUp, OutcomeRequest

Toolkits, the fourth mode, are in the `toolkits` app.
"""

from learning.models.catalogue import EnrolmentTarget, Offering, Programme, Session
from learning.models.choices import (
    ACTIVE_STATUSES,
    MODE_EXPLANATIONS,
    SEATED_STATUSES,
    EnrolmentStatus,
    Format,
    Mode,
    Policy,
    Publication,
)
from learning.models.cohorts import (
    Cohort,
    CohortDigest,
    CohortInvitation,
    CohortMessage,
    DigestRecord,
)
from learning.models.enrolments import Attendance, Enrolment, EnrolmentStatusChange
from learning.models.outcomes import (
    USED,
    Capability,
    CapabilityArea,
    Feedback,
    FollowUp,
    Level,
    Moment,
    OutcomeRequest,
    SelfRating,
    UsedAtWork,
    Usefulness,
)

__all__ = [
    "ACTIVE_STATUSES",
    "MODE_EXPLANATIONS",
    "SEATED_STATUSES",
    "USED",
    "Attendance",
    "Capability",
    "CapabilityArea",
    "Cohort",
    "CohortDigest",
    "CohortInvitation",
    "CohortMessage",
    "DigestRecord",
    "Enrolment",
    "EnrolmentStatus",
    "EnrolmentStatusChange",
    "EnrolmentTarget",
    "Feedback",
    "FollowUp",
    "Format",
    "Level",
    "Mode",
    "Moment",
    "Offering",
    "OutcomeRequest",
    "Policy",
    "Programme",
    "Publication",
    "SelfRating",
    "Session",
    "UsedAtWork",
    "Usefulness",
]
