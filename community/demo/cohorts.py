"""Demo cohorts and places for `manage.py seed_demo`: every status of an enrolment, and a
cohort whose first digest is due (so `make run` shows one going out within a minute).

Everything goes through the services, as lab staff and members would: the demo people
are e-mailed (the worker prints the e-mails) and the audit trail is real. Idempotent: a
place that exists is left as it is.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community.accounts.models import User
from community.services import cohort_create, cohort_update
from learning import services
from learning.models import Cohort, Enrolment, Offering, Policy, Programme

Status = Enrolment.Status

# name, offering, programme, start and end (days from today)
COHORTS = [
    ("La Transfo 2026 autumn", None, "la-transfo", 20, 380),
    ("La Transfo 2026 spring", None, "la-transfo", -190, -10),
    ("User research, autumn", "introduction-to-user-research", None, 10, 10),
    ("Design thinking, Paris", "design-thinking-for-policy-teams", None, 14, 15),
]

# In this order: the seats of "Introduction to user research" (5) fill before two people
# join its waitlist. person (handle), target slug, status, cohort, encouraged by (handle)
PLACES = [
    ("alice-alumna", "open-policy-making-toolkit-walkthrough", Status.COMPLETED, None, None),
    ("alice-alumna", "la-transfo", Status.CONFIRMED, "La Transfo 2026 autumn", None),
    ("alice-alumna", "simplifying-benefit-letters", Status.CONFIRMED, None, None),
    ("max-member", "facilitating-co-design-workshops", Status.APPLIED, None, None),
    ("max-member", "prototyping-public-services-in-a-day", Status.CONFIRMED, None, None),
    ("bruno-bastide", "introduction-to-user-research", Status.CONFIRMED,
     "User research, autumn", None),
    ("chloe-martin", "introduction-to-user-research", Status.CONFIRMED,
     "User research, autumn", None),
    ("dev-patel", "introduction-to-user-research", Status.CONFIRMED,
     "User research, autumn", None),
    ("eva-lindqvist", "introduction-to-user-research", Status.CONFIRMED,
     "User research, autumn", None),
    ("farid-haddad", "introduction-to-user-research", Status.CONFIRMED,
     "User research, autumn", None),
    ("max-member", "introduction-to-user-research", Status.WAITLISTED, None, None),
    ("grace-okafor", "introduction-to-user-research", Status.WAITLISTED, None, None),
    ("hugo-lefevre", "six-months-inside-the-opm-lab", Status.APPLIED, None, "alice-alumna"),
    ("ines-moreau", "six-months-inside-the-opm-lab", Status.DECLINED, None, "alice-alumna"),
    ("bruno-bastide", "open-policy-making-toolkit-walkthrough", Status.COMPLETED, None, None),
    ("farid-haddad", "open-policy-making-toolkit-walkthrough", Status.COMPLETED, None, None),
    ("chloe-martin", "open-policy-making-toolkit-walkthrough", Status.COMPLETED, None, None),
    ("eva-lindqvist", "open-policy-making-toolkit-walkthrough", Status.COMPLETED, None, None),
    ("chloe-martin", "design-thinking-for-policy-teams", Status.WITHDRAWN, None, None),
    ("dev-patel", "design-thinking-for-policy-teams", Status.CONFIRMED,
     "Design thinking, Paris", None),
    ("eva-lindqvist", "la-transfo", Status.APPLIED, None, "alice-alumna"),
    # The spring cohort started over six months ago: its first digest is due.
    ("grace-okafor", "la-transfo", Status.COMPLETED, "La Transfo 2026 spring", None),
    ("hugo-lefevre", "la-transfo", Status.COMPLETED, "La Transfo 2026 spring", None),
    ("ines-moreau", "la-transfo", Status.COMPLETED, "La Transfo 2026 spring", None),
    # Alumni of La Transfo outside a cohort (its reach shows per programme).
    ("bruno-bastide", "la-transfo", Status.COMPLETED, None, None),
    ("dev-patel", "la-transfo", Status.COMPLETED, None, None),
]  # fmt: skip

# Completed this many days ago (default: today): the walkthrough's follow-up is due, and
# the La Transfo alumni outside a cohort finished an earlier edition.
COMPLETED_DAYS_AGO = {
    "open-policy-making-toolkit-walkthrough": 99,
    ("bruno-bastide", "la-transfo"): 200,
    ("dev-patel", "la-transfo"): 200,
}

MOTIVATION = "I want to bring this approach back to my team."
LINE_MANAGER = {"line_manager_name": "Pat Manager", "line_manager_email": "pat@example.gov"}


def _day(today, offset):
    return today + timedelta(days=offset)


def _cohorts(staff, log):
    today = timezone.localdate()
    cohorts = {}
    for name, offering, programme, start, end in COHORTS:
        fields = {
            "offering": Offering.objects.filter(slug=offering).first() if offering else None,
            "programme": Programme.objects.filter(slug=programme).first() if programme else None,
            "starts_on": _day(today, start),
            "ends_on": _day(today, end),
        }
        cohort = Cohort.objects.filter(name=name).first()
        leads = [staff] if staff else []
        if cohort is None:
            cohort = cohort_create(cohort=Cohort(name=name, **fields), lead_staff=leads)
        else:
            for field, value in fields.items():
                setattr(cohort, field, value)
            cohort = cohort_update(cohort=cohort, lead_staff=leads)
        cohorts[name] = cohort
    log(f"  cohorts: {len(cohorts)}")
    return cohorts


def _completed_at(person, target):
    days = COMPLETED_DAYS_AGO.get((person.handle, target.slug), COMPLETED_DAYS_AGO.get(target.slug))
    return timezone.now() - timedelta(days=days) if days else timezone.now()


def _place(person, target, status, cohort, encouraged_by, staff):
    """One demo place in `status`, reached the way the site and lab staff reach it."""
    completed_at = _completed_at(person, target)
    if cohort is not None or status == Status.COMPLETED:
        # Lab staff place cohort members and past participants directly.
        placed_at = completed_at - timedelta(days=30) if status == Status.COMPLETED else None
        enrolment, _outcome = services.enrolment_place(
            user=person, target=target, by=staff, cohort=cohort, now=placed_at
        )
    else:
        application = target.enrolment_policy == Policy.APPLICATION
        enrolment = services.enrolment_create(
            user=person,
            target=target,
            motivation=MOTIVATION if application else "",
            encouraged_by=encouraged_by,
            **(LINE_MANAGER if getattr(target, "needs_line_manager", False) else {}),
        )
    if status == Status.COMPLETED:
        services.enrolment_complete(enrolment=enrolment, by=staff, now=completed_at)
    elif status == Status.DECLINED:
        services.enrolment_decline(enrolment=enrolment, by=staff, reason="The cohort is full.")
    elif status == Status.WITHDRAWN:
        services.enrolment_withdraw(enrolment=enrolment, by=person)


@transaction.atomic
def seed(*, log=print):
    staff = User.objects.filter(email="staff@demo.innolab.test").first()
    cohorts = _cohorts(staff, log)
    people = {u.handle: u for u in User.objects.filter(email__endswith="@demo.innolab.test")}
    created = 0
    for handle, slug, status, cohort, encouraged_by in PLACES:
        person = people[handle]
        target = Offering.objects.filter(slug=slug).first() or Programme.objects.get(slug=slug)
        key = "offering" if isinstance(target, Offering) else "programme"
        if Enrolment.objects.filter(user=person, **{key: target}).exists():
            continue
        _place(person, target, status, cohorts.get(cohort), people.get(encouraged_by), staff)
        created += 1
    log(f"  enrolments: {created} new, {Enrolment.objects.count()} in all")
