"""Profiles."""

from django.db import transaction


@transaction.atomic
def profile_update(*, user, form):
    """Saves a valid ProfileForm for `user` (tags included); returns the user."""
    if form.instance.pk != user.pk:
        raise PermissionError("A profile can only be edited by its owner.")
    return form.save()
