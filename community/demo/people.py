"""Demo organisations and people for `manage.py seed_demo` (idempotent).

Organisations are real labs that work the way this platform supports (see DOMAIN.md);
the people are invented. Every demo person has been around for a year, so the forums'
limit on new accounts does not apply to them.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community.accounts.models import Organisation, Visibility
from community.accounts.roles import LAB_STAFF_GROUP
from community.accounts.services import person_ensure

DOMAIN = "demo.innolab.test"

ORGANISATIONS = [
    ("La 27e Région", Organisation.Kind.INNOVATION_LAB, "FR", "https://www.la27eregion.fr"),
    ("ExperioLab", Organisation.Kind.INNOVATION_LAB, "FR", ""),
    ("OPM Lab", Organisation.Kind.INNOVATION_LAB, "US", "https://www.opm.gov"),
    ("Policy Lab UK", Organisation.Kind.INNOVATION_LAB, "GB", ""),
    ("MOM Behavioural Insights Unit", Organisation.Kind.INNOVATION_LAB, "SG", ""),
    ("Région Bretagne", Organisation.Kind.LOCAL_AUTHORITY, "FR", ""),
    ("Ministry of Social Affairs", Organisation.Kind.MINISTRY, "FR", ""),
    ("Department for Education", Organisation.Kind.MINISTRY, "GB", ""),
    ("National Employment Agency", Organisation.Kind.AGENCY, "FR", ""),
]

# The three people the README names, who log in to try the site.
LOGINS = [
    # e-mail, name, handle, job title, organisation, lab staff?, expertise
    ("staff@demo.innolab.test", "Sam Staff", "sam-staff", "Programme lead", "La 27e Région",
     True, ["service design", "facilitation"]),
    ("alumna@demo.innolab.test", "Alice Alumna", "alice-alumna", "Policy officer",
     "Région Bretagne", False, ["user research", "prototyping"]),
    ("member@demo.innolab.test", "Max Member", "max-member", "Project manager",
     "National Employment Agency", False, ["procurement"]),
]  # fmt: skip

# Alumni and colleagues who fill the catalogue's cohorts, the directory and the forums.
OTHERS = [
    ("Bruno Bastide", "Région Bretagne"),
    ("Chloé Martin", "Ministry of Social Affairs"),
    ("Dev Patel", "Department for Education"),
    ("Eva Lindqvist", "National Employment Agency"),
    ("Farid Haddad", "Région Bretagne"),
    ("Grace Okafor", "Department for Education"),
    ("Hugo Lefèvre", "Ministry of Social Affairs"),
    ("Inès Moreau", "National Employment Agency"),
]

# Profiles of the alumni who become change agents (community.demo.network): who may see
# them, and whether they take advice requests.
PROFILES = {
    "alice-alumna": (Visibility.MEMBERS, "Run user research in every new regional service.",
                     "user research, first co-design workshops"),
    "bruno-bastide": (Visibility.ALUMNI, "Prototype before procurement.",
                      "prototyping on a budget"),
    "chloe-martin": (Visibility.MEMBERS, "Plain-language letters everywhere.",
                     "plain language, letters"),
    "dev-patel": (Visibility.MEMBERS, "Open policy making in schools policy.", ""),
    "farid-haddad": (Visibility.HIDDEN, "Bring secondment learning to rural services.", ""),
    "grace-okafor": (Visibility.MEMBERS, "Coach analysts in behavioural insights.",
                     "behavioural trials"),
}  # fmt: skip


def email_of(handle):
    return f"{handle}@{DOMAIN}"


def _profile(handle):
    visibility, commitment, topics = PROFILES.get(handle, (Visibility.MEMBERS, "", ""))
    bio = f"{commitment} Happy to share what worked and what did not." if commitment else ""
    return {
        "visibility": visibility,
        "bio": bio,
        "open_to_advice": bool(topics),
        "advice_topics": topics,
    }


@transaction.atomic
def seed(*, log=print):
    organisations = {}
    for name, kind, country, website in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "country": country, "website": website}
        )
    log(f"  organisations: {len(organisations)}")

    joined = timezone.now() - timedelta(days=365)
    for email, name, handle, title, org, staff, expertise in LOGINS:
        user, created = person_ensure(
            email=email, password=settings.DEMO_PASSWORD, staff=staff, display_name=name,
            handle=handle, job_title=title, organisation=organisations[org],
            country=organisations[org].country, date_joined=joined, **_profile(handle),
        )  # fmt: skip
        if created:
            user.expertise.set(expertise)
        log(f"  {email} ({LAB_STAFF_GROUP if staff else 'member'})")
    for name, org in OTHERS:
        handle = slugify(name)
        person_ensure(
            email=email_of(handle), password=settings.DEMO_PASSWORD, display_name=name,
            handle=handle, organisation=organisations[org],
            country=organisations[org].country, date_joined=joined, **_profile(handle),
        )  # fmt: skip
    log(f"  and {len(OTHERS)} alumni and colleagues")
