"""Plain functions that build test data in code (no JSON fixtures)."""

import itertools

from allauth.account.models import EmailAddress

from community.accounts.roles import lab_staff_group_sync
from community.models import Organisation, User

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def organisation(**fields):
    n = next(_seq)
    fields.setdefault("name", f"Agency {n}")
    return Organisation.objects.create(**fields)


def user(*, email=None, password=PASSWORD, verified=True, **fields):
    n = next(_seq)
    email = email or f"person{n}@example.gov"
    fields.setdefault("display_name", f"Person {n}")
    person = User.objects.create_user(email, password, **fields)
    if verified:
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


def lab_staff(**fields):
    person = user(is_staff=True, **fields)
    person.groups.add(lab_staff_group_sync())
    return person


def offering(**fields):
    from learning.models import Offering

    n = next(_seq)
    fields.setdefault("title", f"Offering {n}")
    fields.setdefault("slug", f"offering-{n}")
    fields.setdefault("summary", "A way to learn")
    fields.setdefault("mode", "class")
    fields.setdefault("status", "published")
    if "host_lab" not in fields:
        fields["host_lab"] = organisation(kind="innovation_lab")
    tags = fields.pop("tags", [])
    obj = Offering.objects.create(**fields)
    if tags:
        obj.tags.set(tags)
    return obj


def programme(**fields):
    from learning.models import Programme

    n = next(_seq)
    fields.setdefault("title", f"Programme {n}")
    fields.setdefault("slug", f"programme-{n}")
    fields.setdefault("summary", "A journey")
    fields.setdefault("status", "published")
    if "host_lab" not in fields:
        fields["host_lab"] = organisation(kind="innovation_lab")
    return Programme.objects.create(**fields)


def alumnus(*, of=None, **fields):
    """A member with a completed place (in `of`, or a fresh offering)."""
    from learning import services

    person = user(**fields)
    target = of or offering()
    enrolment = services.enrolment_place(user=person, target=target, by=None)[0]
    services.enrolment_complete(enrolment=enrolment, by=None)
    person.refresh_from_db()
    return person


def toolkit(**fields):
    from toolkits.models import Toolkit

    n = next(_seq)
    fields.setdefault("title", f"Toolkit {n}")
    fields.setdefault("slug", f"toolkit-{n}")
    fields.setdefault("summary", "Tools to reuse")
    fields.setdefault("status", "published")
    if "host_lab" not in fields:
        fields["host_lab"] = organisation(kind="innovation_lab")
    tags = fields.pop("tags", [])
    obj = Toolkit.objects.create(**fields)
    if tags:
        obj.tags.set(tags)
    return obj


def pdf_upload(name="toolkit.pdf", text="Hello"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from toolkits.demo import simple_pdf

    return SimpleUploadedFile(name, simple_pdf(text, [text]), content_type="application/pdf")


def toolkit_file(toolkit, *, version="1.0", by=None):
    from toolkits import services

    return services.toolkit_file_add(
        toolkit=toolkit, uploaded=pdf_upload(), version_label=version, by=by
    )


def change_agent(*, user=None, agency=None, **fields):
    from community import services

    person = user or alumnus(**fields)
    return services.change_agent_designate(
        user=person, home_agency=agency or organisation(), by=None
    )


def capability(*, name=None, area=None, **fields):
    from learning.models import Capability, CapabilityArea

    n = next(_seq)
    area = area or CapabilityArea.objects.create(name=f"Area {n}", position=n)
    return Capability.objects.create(
        area=area, name=name or f"Capability {n}", description="What it is",
        level_1="New", level_2="With support", level_3="On my own", level_4="Could teach",
        **fields,
    )  # fmt: skip


def client_for(person):
    """A test client signed in as `person`."""
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client
