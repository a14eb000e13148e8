"""Profiles."""

from django.db import transaction


@transaction.atomic
def profile_update(*, user, form):
    """Saves a valid ProfileForm for `user` (tags included); returns the user."""
    if form.instance.pk != user.pk:
        raise PermissionError("A profile can only be edited by its owner.")
    return form.save()


@transaction.atomic
def email_preferences_update(*, user, form):
    """Saves a valid EmailPreferencesForm for `user`."""
    if form.instance.pk != user.pk:
        raise PermissionError("Preferences can only be changed by their owner.")
    return form.save()


def email_preference_off(*, user, name):
    """Switches one kind of e-mail off (an unsubscribe link was used)."""
    from community.preferences import PREFERENCES

    field = PREFERENCES[name][1]
    setattr(user, field, "off" if field == "forum_emails" else False)
    user.save(update_fields=[field])
    return user
