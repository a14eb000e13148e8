"""Demo people and organisations for `manage.py seed_demo` (idempotent).

Organisations are real labs that work the way this platform supports (see DOMAIN.md);
the people are invented.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from community.models import Organisation, User
from community.roles import LAB_STAFF_GROUP, lab_staff_group_sync

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

PEOPLE = [
    # email, name, handle, job title, organisation, staff?, expertise
    (
        "staff@demo.innolab.test",
        "Sam Staff",
        "sam-staff",
        "Programme lead",
        "La 27e Région",
        True,
        ["service design", "facilitation"],
    ),
    (
        "alumna@demo.innolab.test",
        "Alice Alumna",
        "alice-alumna",
        "Policy officer",
        "Région Bretagne",
        False,
        ["user research", "prototyping"],
    ),
    (
        "member@demo.innolab.test",
        "Max Member",
        "max-member",
        "Project manager",
        "National Employment Agency",
        False,
        ["procurement"],
    ),
]


@transaction.atomic
def seed(*, log=print):
    organisations = {}
    for name, kind, country, website in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "country": country, "website": website}
        )
        organisations[name] = org
    log(f"  organisations: {len(organisations)}")

    staff_group = lab_staff_group_sync()
    for email, name, handle, title, org, staff, expertise in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, settings.DEMO_PASSWORD, display_name=name, handle=handle
            )
        user.display_name = name
        user.job_title = title
        user.organisation = organisations[org]
        user.country = organisations[org].country
        user.is_staff = staff
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        user.expertise.set(expertise)
        if staff:
            user.groups.add(staff_group)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        log(f"  {email} ({LAB_STAFF_GROUP if staff else 'member'})")
