"""Lab staff run the catalogue and enrolments here; every action calls learning.services.

catalogue.py   programmes and offerings (a change of seats reaches the waitlist)
enrolments.py  deciding, attendance, completion, withdrawal, CSV export
cohorts.py     cohort invitations and messages, read-only

The cohort page itself (its forum space and digests live in the community) is
community.admin.cohorts.
"""

from learning.admin import catalogue, cohorts, enrolments

__all__ = ["catalogue", "cohorts", "enrolments"]
