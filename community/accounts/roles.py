"""Roles on the platform and the permissions of the `Lab staff` group.

member      anyone with a verified account
alumnus     a member who completed an offering or cohort (learning issue)
change agent  an alumnus designated by lab staff (community issue)
lab staff   `is_staff` + the `Lab staff` group below: runs the catalogue and cohorts in the
            admin for every lab of the network (no per-lab scoping)
superuser   everything, including who is staff and who is in which group
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

LAB_STAFF_GROUP = "Lab staff"

# app_label -> model -> actions. Later issues extend this as they add models; users and
# groups are absent on purpose: only superusers change staff flags and group membership.
LAB_STAFF_PERMISSIONS = {
    "community": {
        "organisation": ("view", "add", "change"),
        "user": ("view",),
        "outgoingemail": ("view",),
        "changeagent": ("view", "add", "change"),
        "spreadactivity": ("view", "change"),
        "advicerequest": ("view", "change"),
        "meetingseries": ("view", "add", "change"),
        "meeting": ("view", "add", "change"),
        "rsvp": ("view", "change"),
        "meetingreminder": ("view",),
        "space": ("view", "add", "change"),
        "topic": ("view", "change"),
        "post": ("view",),
        "postrevision": ("view",),
        "flag": ("view",),
        "moderationaction": ("view",),
    },
    "learning": {
        "programme": ("view", "add", "change"),
        "offering": ("view", "add", "change"),
        "session": ("view", "add", "change", "delete"),
        "cohort": ("view", "add", "change"),
        "enrolment": ("view", "change"),
        "enrolmentstatuschange": ("view",),
        "attendance": ("view", "add", "change"),
        "cohortinvitation": ("view",),
        "cohortmessage": ("view",),
        "cohortdigest": ("view",),
        # The framework only: nobody's ratings, feedback or follow-up have an admin page.
        "capabilityarea": ("view", "add", "change", "delete"),
        "capability": ("view", "add", "change", "delete"),
    },
    "toolkits": {
        "toolkit": ("view", "add", "change"),
        "methodcard": ("view", "add", "change", "delete"),
        "toolkitfile": ("view", "add"),
        "toolkituse": ("view", "change"),
    },
    "taggit": {"tag": ("view", "add", "change", "delete")},
    "django_celery_beat": {
        "periodictask": ("view", "change"),
        "intervalschedule": ("view",),
        "crontabschedule": ("view",),
    },
}


def lab_staff_permission_codes():
    return {
        (app_label, f"{action}_{model}")
        for app_label, models in LAB_STAFF_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def lab_staff_group_sync():
    """Creates the `Lab staff` group if missing and sets exactly its permissions.

    Raises LookupError naming any permission that does not exist (a typo above).
    """
    group, _ = Group.objects.get_or_create(name=LAB_STAFF_GROUP)
    wanted = lab_staff_permission_codes()
    permissions = [
        p
        for p in Permission.objects.select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    found = {(p.content_type.app_label, p.codename) for p in permissions}
    if missing := wanted - found:
        raise LookupError(f"Unknown permissions for {LAB_STAFF_GROUP}: {sorted(missing)}")
    group.permissions.set(permissions)
    return group


def lab_staff_q(prefix=""):
    """Q over users (reached through `prefix`, e.g. "user__"): the lab staff, as
    is_lab_staff decides for one person."""
    return Q(**{f"{prefix}is_staff": True}) & (
        Q(**{f"{prefix}is_superuser": True}) | Q(**{f"{prefix}groups__name": LAB_STAFF_GROUP})
    )


def is_lab_staff(user):
    """Staff status in the Lab staff group (or a superuser). Kept on the user object for
    the rest of the request, like Django's own permission cache."""
    if not user.is_authenticated or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_lab_staff_cache"):
        user._lab_staff_cache = any(g.name == LAB_STAFF_GROUP for g in user.groups.all())
    return user._lab_staff_cache
