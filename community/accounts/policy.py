"""Who may see a person, and what of them. Every page, e-mail, feed, search and export
that names someone asks here.

- Nobody who is not signed in sees anyone's name or profile: a visitor sees "A member".
- A signed-in member sees the profiles set for everyone signed in; alumni also see those
  set for alumni; everyone sees their own; lab staff see all.
- An e-mail address is never shown to anyone but its owner (and lab staff in the admin).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.accounts.models import Visibility
from community.accounts.roles import is_lab_staff

SOMEONE = _("A member")


def visible_people_q(viewer):
    """Q over users: the people whose profile `viewer` may see."""
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    if is_lab_staff(viewer):
        return Q()
    allowed = Q(visibility=Visibility.MEMBERS)
    if viewer.is_alumnus:
        allowed |= Q(visibility=Visibility.ALUMNI)
    return allowed | Q(pk=viewer.pk)


def can_see(viewer, person):
    """Whether `viewer` may see `person`'s profile and name (no query)."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or is_lab_staff(viewer):
        return True
    if person.visibility == Visibility.MEMBERS:
        return True
    return person.visibility == Visibility.ALUMNI and viewer.is_alumnus


def shown_to_every_member(person):
    """Whether `person` may be named where every member reads (digests, e-mails to a
    cohort): only a profile set for everyone signed in."""
    return person.visibility == Visibility.MEMBERS


def shown_to_every_member_q(prefix=""):
    """Q of the people shown_to_every_member; `prefix` reaches them from another model
    ("user__")."""
    return Q(**{f"{prefix}visibility": Visibility.MEMBERS})


def name_for(viewer, person):
    """The name `viewer` is shown for `person`: theirs, or "A member"."""
    return person.display_name if can_see(viewer, person) else SOMEONE
