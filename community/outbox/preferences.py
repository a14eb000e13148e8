"""Which e-mails a person can switch off, and which are essential.

Every kind of e-mail the platform sends maps to a preference (a User field) or is
essential. Essential e-mails ignore preferences: account security, enrolment and
application decisions, waitlist promotion, meeting cancellations and changes, moderation
notices, invitations.
"""

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# preference name -> (label, User field, e-mail kinds it covers)
PREFERENCES = {
    "digests": (_("Six-monthly cohort digests"), "email_digests", {"learning/digest"}),
    "meeting_reminders": (
        _("Meeting reminders"),
        "email_meeting_reminders",
        {"community/meeting_reminder"},
    ),
    "enrolment_updates": (
        _("Confirmations of what you did (enrolled, applied, joined a waitlist, withdrew)"),
        "email_enrolment_updates",
        {
            "learning/confirmed",
            "learning/waitlisted",
            "learning/application_received",
            "learning/withdrawn",
        },
    ),
    "forum": (
        _("Forum posts you follow and mentions"),
        "forum_emails",
        {"community/forum_post", "community/forum_daily"},
    ),
    "advice": (
        _("Advice requests and replies"),
        "email_advice",
        {"community/advice_request", "community/advice_reply", "community/advice_declined"},
    ),
    "outcomes": (
        _("Questions on how your learning went: feedback, and a follow-up three months on"),
        "email_outcomes",
        {"learning/outcome_feedback", "learning/outcome_reminder", "learning/outcome_follow_up"},
    ),
}
KIND_TO_PREFERENCE = {kind: name for name, (_l, _f, kinds) in PREFERENCES.items() for kind in kinds}

ESSENTIAL = [
    _("Account security: address verification, password reset, sign-in codes, two-factor"),
    _("Decisions on your applications and enrolments, and places freed up for you"),
    _("Cancellations and changes of a meeting you are going to"),
    _("Moderation notices about your posts, invitations lab staff send you"),
    _("Messages lab staff send to your cohort"),
]

UNSUBSCRIBE_SALT = "innolab.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 400  # over a year: it must outlive a six-month digest


def preference_for(kind):
    return KIND_TO_PREFERENCE.get(kind)


def wants(user, kind):
    """False only when the person switched off the preference covering `kind`."""
    name = preference_for(kind)
    if name is None or user is None:
        return True
    value = getattr(user, PREFERENCES[name][1])
    return value != "off" if isinstance(value, str) else bool(value)


def unsubscribe_token(user, name):
    return signing.dumps({"u": user.pk, "p": name}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(user id, preference name), or None for a bad or expired token."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("p") not in PREFERENCES:
        return None
    return data.get("u"), data["p"]


def unsubscribe_url(site_url, user, name):
    return site_url + reverse("community:unsubscribe", args=[unsubscribe_token(user, name)])
