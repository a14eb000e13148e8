from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Primary navigation, in order. An entry appears once its page exists, so the menu grows
# as the learning, toolkit and community features land without links to nowhere.
NAVIGATION = [
    ("learning:catalogue", _("Learn")),
    ("toolkits:list", _("Toolkits")),
    ("community:index", _("Community")),
    ("community:meeting-list", _("Meetings")),
    ("learning:mine", _("My learning")),
]
MEMBER_ONLY = {"learning:mine", "community:meeting-list"}


def _navigation(user):
    items = []
    for name, label in NAVIGATION:
        if name in MEMBER_ONLY and not user.is_authenticated:
            continue
        try:
            items.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return items


def site(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "SITE_URL": settings.SITE_URL,
        "navigation": _navigation(user) if user is not None else [],
        "unread_notifications": unread,
    }
