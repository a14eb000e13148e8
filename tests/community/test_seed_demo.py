import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from community.models import Organisation, User

pytestmark = pytest.mark.django_db


def seed(**kwargs):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    output = seed()
    assert "Demo data ready." in output
    counts = (User.objects.count(), Organisation.objects.count(), EmailAddress.objects.count())
    seed()
    assert (User.objects.count(), Organisation.objects.count(), EmailAddress.objects.count()) == (
        counts
    )
    staff = User.objects.get(email="staff@demo.innolab.test")
    assert staff.is_lab_staff
    assert staff.check_password(settings.DEMO_PASSWORD)
    assert User.objects.get(email="member@demo.innolab.test").emailaddress_set.get().verified


def test_seed_demo_uses_demo_password(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "another-demo-password"
    seed()
    assert User.objects.get(email="alumna@demo.innolab.test").check_password(
        "another-demo-password"
    )


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run when DEBUG is off"):
        seed()
    assert not User.objects.exists()
    assert "Demo data ready." in seed(force=True)
