"""Lab staff run the catalogue and enrolments here; every action calls learning.services.

catalogue.py   programmes and offerings (a change of seats reaches the waitlist)
enrolments.py  deciding, attendance, completion, withdrawal, CSV export
cohorts.py     cohort invitations and messages, read-only
outcomes.py    the capability framework; the outcomes panel of offerings, programmes, cohorts

The cohort page itself (its forum space and digests live in the community) is
community.admin.cohorts.
"""

from learning.admin import catalogue, cohorts, enrolments, outcomes

__all__ = ["catalogue", "cohorts", "enrolments", "outcomes"]
