"""The `Lab staff` group holds its permissions on a fresh database; staff reach the admin."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from community.accounts.roles import LAB_STAFF_GROUP, is_lab_staff, lab_staff_permission_codes
from tests import factories

pytestmark = pytest.mark.django_db


def test_lab_staff_group_exists_with_exactly_its_permissions_after_migrate():
    # The test database was built by `migrate` from nothing: this is a fresh database.
    group = Group.objects.get(name=LAB_STAFF_GROUP)
    held = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
    assert held == lab_staff_permission_codes()
    assert ("community", "change_organisation") in held
    assert ("community", "change_user") not in held


def test_sync_roles_restores_removed_permissions():
    group = Group.objects.get(name=LAB_STAFF_GROUP)
    group.permissions.clear()
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert group.permissions.count() == len(lab_staff_permission_codes())


def test_lab_staff_reach_the_admin_and_see_organisations(staff_client, staff):
    assert is_lab_staff(staff)
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:community_organisation_changelist") in response.content.decode()
    assert staff_client.get(reverse("admin:community_organisation_add")).status_code == 200


def test_staff_without_the_group_see_nothing(client):
    bare = factories.user(is_staff=True)
    client.force_login(bare)
    assert not is_lab_staff(bare)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "organisation" not in response.content.decode().lower()
    assert client.get(reverse("admin:community_organisation_changelist")).status_code == 403


def test_members_are_sent_to_log_in_from_the_admin(member_client):
    response = member_client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_lab_staff_cannot_change_staff_flags_or_groups(staff_client, staff):
    other = factories.user()
    response = staff_client.get(reverse("admin:community_user_change", args=[other.pk]))
    # Lab staff may look people up but not edit them.
    assert response.status_code == 200
    assert 'name="is_staff"' not in response.content.decode()
    assert 'name="groups"' not in response.content.decode()


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
