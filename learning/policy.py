"""Who belongs where in learning, and what of the catalogue a person may see.

Each rule lives here once; selectors, services, digests, feeds, exports and the
community's spaces and meetings call these functions and never re-derive them.

- A **member** of a cohort or a programme holds a confirmed or completed place in it (a
  programme's members include those of its offerings). Applying or waiting on a list is
  not belonging: an application may be declined.
- An **alumnus** of a programme completed it or one of its offerings.
- **Outcomes**: a person's self-ratings, feedback and follow-up answers are shown to
  them alone, lab staff included. Lab staff, digests and the reach page see figures over
  a group of people only when at least ENOUGH_PEOPLE (5) answered; below that the figure
  reads "fewer than 5", and free-text answers are shown without names, for groups of
  ENOUGH_PEOPLE or more.
- **Visible offerings and programmes**: published ones; lab staff also see drafts and
  archived ones. A place in a draft stays the person's (their data export lists it) but
  shows nowhere else until the lab publishes it again.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from community.accounts.roles import is_lab_staff
from learning.models import Enrolment, EnrolmentStatus, Offering, Programme, Publication

MEMBER_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.COMPLETED)


def member_enrolments():
    """Enrolments that make their person a member of what they are for."""
    return Enrolment.objects.filter(status__in=MEMBER_STATUSES)


def in_group(*, cohort=None, programme=None):
    """Q over enrolments: those in `cohort` or in `programme` (the programme as a whole
    or one of its offerings)."""
    q = Q(pk__in=[])
    if cohort is not None:
        q |= Q(cohort=cohort)
    if programme is not None:
        q |= Q(programme=programme) | Q(offering__programme=programme)
    return q


def member_ids(*, cohort=None, programme=None):
    """A subquery of the ids of the members of `cohort` or `programme`."""
    return member_enrolments().filter(in_group(cohort=cohort, programme=programme)).values("user")


def member_group_ids(user):
    """(cohort ids, programme ids) `user` is a member of, as subqueries: the cohorts of
    their places, and the programmes they hold a place in or in one of whose offerings."""
    mine = member_enrolments().filter(user=user)
    cohorts = mine.filter(cohort__isnull=False).values("cohort")
    programmes = mine.filter(programme__isnull=False).values("programme")
    via_offerings = mine.filter(offering__programme__isnull=False).values("offering__programme")
    return cohorts, programmes, via_offerings


def completed_enrolments():
    """Enrolments that make their person an alumnus of what they are for."""
    return Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)


def is_completed(enrolment):
    """Whether `enrolment`, a row already read, is one of completed_enrolments()."""
    return enrolment.status == EnrolmentStatus.COMPLETED


def alumni_ids(programme):
    """A subquery of the ids of people who completed `programme` (a programme or its id),
    as a whole or one of its offerings."""
    return completed_enrolments().filter(in_group(programme=programme)).values("user")


def alumnus_programme_ids(user):
    """Subqueries of the programmes `user` completed, as a whole or through an offering."""
    done = completed_enrolments().filter(user=user)
    return (
        done.filter(programme__isnull=False).values("programme"),
        done.filter(offering__programme__isnull=False).values("offering__programme"),
    )


def offerings_visible_to(user):
    return Offering.objects.all() if is_lab_staff(user) else Offering.objects.published()


def programmes_visible_to(user):
    return Programme.objects.all() if is_lab_staff(user) else Programme.objects.published()


def enrolments_shown_to(user, enrolments):
    """`enrolments` (a person's own) narrowed to those whose offering or programme `user`
    may see."""
    if is_lab_staff(user):
        return enrolments
    published = Publication.PUBLISHED
    return enrolments.filter(Q(offering__status=published) | Q(programme__status=published))


# --- Outcomes ------------------------------------------------------------------------------

ENOUGH_PEOPLE = 5


def enough_people(count):
    """Whether a figure over `count` people may be shown (to lab staff, in a digest, on
    the reach page): below ENOUGH_PEOPLE, someone could be singled out."""
    return count >= ENOUGH_PEOPLE


def owns_outcomes(user, enrolment):
    """Whether `user` may see and answer the outcomes of `enrolment`: its person only."""
    return user.is_authenticated and enrolment.user_id == user.pk


def follow_up_open(*, decided_at, asked, now):
    """Whether the follow-up of a place completed at `decided_at` may be answered:
    OUTCOME_FOLLOW_UP_DAYS after completion, or earlier once the person was `asked`. A
    place completed before decisions were dated (no decided_at) is never asked."""
    if decided_at is None:
        return False
    return asked or now >= decided_at + timedelta(days=settings.OUTCOME_FOLLOW_UP_DAYS)
