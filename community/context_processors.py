"""What every page's shell shows: the site address, the navigation, the unread count."""

import functools

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community import policy

# Primary navigation, in order; members-only entries are left out for visitors.
NAVIGATION = [
    ("learning:catalogue", _("Learn")),
    ("toolkits:list", _("Toolkits")),
    ("community:index", _("Community")),
    ("community:meeting-list", _("Meetings")),
    ("learning:mine", _("My learning")),
]
MEMBER_ONLY = {"learning:mine", "community:meeting-list"}


@functools.cache
def _urls():
    # The navigation's addresses never change while the process runs: reversed once.
    return {name: reverse(name) for name, _label in NAVIGATION}


def _navigation(user):
    urls = _urls()
    return [
        {"url": urls[name], "label": label}
        for name, label in NAVIGATION
        if user.is_authenticated or name not in MEMBER_ONLY
    ]


def site(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = policy.unread_count(user)
    navigation = _navigation(user) if user is not None else []
    path = getattr(request, "path", "")
    return {
        "SITE_URL": settings.SITE_URL,
        "navigation": navigation,
        # The entry for this page, if any: the shell's kept header is keyed on it, never
        # on the path itself (which a visitor could vary without end).
        "navigation_current": next((i["url"] for i in navigation if i["url"] == path), ""),
        "unread_notifications": unread,
    }
