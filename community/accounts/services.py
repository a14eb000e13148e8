"""Writes about a person's own account: their profile, their e-mail choices, their data.

Personal data rights: `personal_data_export` gathers everything about a person, and
`account_delete` erases it. Each part of innolab that holds personal data registers an
exporter and an eraser in `community.accounts.data_rights` (from its AppConfig.ready), so
this module knows none of them.
"""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.accounts import data_rights
from community.accounts.models import User, Visibility
from community.accounts.roles import lab_staff_group_sync
from community.outbox.services import emails_erase, emails_export

FORMER_MEMBER = "Former member"


def _former_member_handle(user):
    """former-member-<id>: reserved, so nobody can take it; an account that took it before
    the reservation gets a suffix, so a deletion never fails on its handle."""
    handle = f"former-member-{user.pk}"
    while User.objects.filter(handle__iexact=handle).exclude(pk=user.pk).exists():
        handle = f"former-member-{user.pk}-{secrets.token_hex(3)}"
    return handle


def _when(value):
    return value.isoformat() if value else None


@transaction.atomic
def profile_update(*, user, form):
    """Saves a valid ProfileForm for `user` (tags included); returns the user."""
    if form.instance.pk != user.pk:
        raise PermissionError("A profile can only be edited by its owner.")
    return form.save()


def language_set(*, user, language):
    """Keeps `language` (one of settings.LANGUAGES) as `user`'s: the site and every e-mail
    sent to them use it. Raises ValueError for a language the site does not offer."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValueError(f"Unknown language: {language}")
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def email_preferences_update(*, user, form):
    """Saves a valid EmailPreferencesForm for `user`."""
    if form.instance.pk != user.pk:
        raise PermissionError("Preferences can only be changed by their owner.")
    return form.save()


def personal_data_export(*, user):
    """A dict of everything the platform holds about `user` (serialise it as JSON): the
    profile and addresses, each registered section, and the e-mails sent to them."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "handle": user.handle,
            "display_name": user.display_name,
            "job_title": user.job_title,
            "organisation": user.organisation.name if user.organisation else None,
            "country": str(user.country) if user.country else None,
            "time_zone": user.time_zone,
            "preferred_language": user.preferred_language,
            "bio": user.bio,
            "expertise": sorted(t.name for t in user.expertise.all()),
            "visibility": user.visibility,
            "open_to_advice": user.open_to_advice,
            "advice_topics": user.advice_topics,
            "alumnus_since": _when(user.alumnus_since),
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
    }
    for section, exporter in data_rights.exporters().items():
        data[section] = exporter(user)
    data["emails_sent_to_me"] = emails_export(user)
    return data


@transaction.atomic
def account_delete(*, user, now=None):
    """Erases a person's personal data and closes their account for good.

    The user row stays (history and constraints hold) with every personal field blanked;
    contributions stay, attributed to "Former member". Every registered eraser runs first
    (future enrolments, meeting answers and open conversations are withdrawn, personal
    tracking deleted), then pending e-mails are cancelled and the e-mail log blanked;
    login becomes impossible (unusable password, inactive, no e-mail address, no MFA).
    """
    now = now or timezone.now()
    for eraser in data_rights.erasers():
        eraser(user, now)
    user.calendar_token = None
    emails_erase(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()

    user.email = f"erased-{user.pk}@invalid.invalid"
    user.handle = _former_member_handle(user)
    user.display_name = FORMER_MEMBER
    user.job_title = ""
    user.organisation = None
    user.country = ""
    user.bio = ""
    user.advice_topics = ""
    user.open_to_advice = False
    user.visibility = Visibility.HIDDEN
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    # A new (unusable) password also changes the session hash: every session ends.
    user.set_unusable_password()
    user.save()
    user.expertise.clear()
    user.groups.clear()
    user.user_permissions.clear()


@transaction.atomic
def person_ensure(*, email, password, staff=False, **fields):
    """For commands that set up accounts (seed_demo): the person with `email`, created with
    a verified address and `fields` if missing; their password is set either way, and lab
    staff join the `Lab staff` group. Returns (user, created)."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email, password, is_staff=staff, **fields)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    if staff:
        user.groups.add(lab_staff_group_sync())
    return user, created
