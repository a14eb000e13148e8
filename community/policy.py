"""Who may read which forum space and post, and who is invited to which meeting. Every
page, search, notification, e-mail, digest, feed and export asks here; the rules of who
belongs to a cohort or programme are learning.policy's, and who may see a person
community.accounts.policy's.

- **Spaces**: open spaces are read by every signed-in member; alumni spaces by alumni;
  a private space by the members of its cohort or programme (a confirmed or completed
  place); lab staff read every space. Reading a space is also what allows posting in it.
- **Posts**: a post hidden by a moderator or deleted by its author is shown to nobody as
  it was (its place in the thread says why), is never quoted, flagged, searched or
  sent; what a person may read of a post is what they may read of its space.
- **Meetings**: a meeting is for the alumni of its programme (every alumnus when it has
  none) and the people added to it; drafts are seen by lab staff only. A person no
  longer invited loses the meeting from their pages and calendar feed.
"""

from django.db.models import Q

from community.accounts.models import User
from community.accounts.roles import is_lab_staff, lab_staff_q
from community.models import Meeting, Notification, Post, Space
from learning import policy as learning_policy

# --- Spaces ------------------------------------------------------------------------------------


def readable_spaces_q(user):
    """Q over spaces: those `user` may read (and write in)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_lab_staff(user):
        return Q()
    allowed = Q(audience=Space.Audience.MEMBERS)
    if user.is_alumnus:
        allowed |= Q(audience=Space.Audience.ALUMNI)
    cohorts, programmes, via_offerings = learning_policy.member_group_ids(user)
    allowed |= Q(audience=Space.Audience.PRIVATE) & (
        Q(cohort__in=cohorts) | Q(programme__in=programmes) | Q(programme__in=via_offerings)
    )
    return allowed


def can_read(space, user):
    """Whether `user` may read (and write in) `space`; open and alumni spaces need no
    query."""
    if not user.is_authenticated:
        return False
    if space.audience == Space.Audience.MEMBERS:
        return True
    if space.audience == Space.Audience.ALUMNI and user.is_alumnus:
        return True
    return Space.objects.filter(pk=space.pk).filter(readable_spaces_q(user)).exists()


def readers_among(space, user_ids):
    """The active people among `user_ids` who may read `space`, in one query (the rules
    above, seen from the space's side)."""
    people = User.objects.filter(pk__in=list(user_ids), is_active=True)
    if space.audience == Space.Audience.MEMBERS:
        return list(people)
    allowed = lab_staff_q()
    if space.audience == Space.Audience.ALUMNI:
        allowed |= Q(alumnus_since__isnull=False)
    else:
        members = Q(pk__in=[])
        if space.cohort_id:
            members |= Q(pk__in=learning_policy.member_ids(cohort=space.cohort_id))
        if space.programme_id:
            members |= Q(pk__in=learning_policy.member_ids(programme=space.programme_id))
        allowed |= members
    return list(people.filter(allowed).distinct())


def read_by_every_member_q(cohort, prefix="space__"):
    """Q over spaces (reached through `prefix`) that every member of `cohort` may read:
    the open spaces and the cohort's own. A digest sent to the whole cohort shows only
    what they hold."""
    return Q(**{f"{prefix}audience": Space.Audience.MEMBERS}) | Q(**{f"{prefix}cohort": cohort})


# --- Posts -------------------------------------------------------------------------------------

SHOWN = Q(deleted_at__isnull=True, hidden_at__isnull=True)


def shown_posts(queryset=None):
    """Posts shown as written: neither hidden by a moderator nor deleted by their author."""
    return (queryset if queryset is not None else Post.objects.all()).filter(SHOWN)


def readable_posts(user):
    """Posts shown as written, in spaces `user` may read."""
    spaces = Space.objects.filter(readable_spaces_q(user)).values("pk")
    return shown_posts().filter(topic__space__in=spaces)


def notifications_for(user):
    """`user`'s notifications about posts they may still read (a space they left, a post
    since removed, drop out)."""
    return Notification.objects.filter(user=user, post__in=readable_posts(user).values("pk"))


def unread_count(user):
    """How many of `user`'s notifications_for are unread. Most people have none unread:
    a plain look at their own unread rows answers that, and only when there are some
    is the whole rule asked (its query costs PostgreSQL milliseconds just to plan)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if not unread.exists():
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()


# --- Meetings ----------------------------------------------------------------------------------


def invitees(meeting):
    """Active people invited to `meeting`: the alumni of its programme (every alumnus when
    it has none), as they are today, and the people added to it."""
    if meeting.programme_id is None:
        alumni = Q(alumnus_since__isnull=False)
    else:
        alumni = Q(pk__in=learning_policy.alumni_ids(meeting.programme_id))
    return User.objects.filter(is_active=True).filter(
        alumni | Q(pk__in=meeting.extra_invitees.values("pk"))
    )


def is_invited(meeting, user):
    if not user.is_authenticated:
        return False
    return invitees(meeting).filter(pk=user.pk).exists()


def meetings_visible_to(user):
    """The meetings `user` may see: those they are invited to (drafts excepted); lab staff
    see all."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    if is_lab_staff(user):
        return Meeting.objects.all()
    programmes, via_offerings = learning_policy.alumnus_programme_ids(user)
    invited = Q(programme__in=programmes) | Q(programme__in=via_offerings)
    invited |= Q(pk__in=Meeting.extra_invitees.through.objects.filter(user=user).values("meeting"))
    if user.is_alumnus:
        invited |= Q(programme__isnull=True)
    return Meeting.objects.exclude(status=Meeting.Status.DRAFT).filter(invited)
