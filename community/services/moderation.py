"""Moderation: flags, hiding and restoring posts, locking, pinning and moving topics.

Every action is recorded with who did it and why (ModerationAction).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.errors import RateLimited
from community.accounts.roles import is_lab_staff
from community.models import Flag, ModerationAction
from community.outbox.services import email_queue


def flag_create(*, post, reporter, reason, now=None):
    """Reports a post to lab staff. Raises ValidationError without a reason, RateLimited
    beyond FLAGS_PER_DAY."""
    if not reason.strip():
        raise ValidationError(_("Say what is wrong with this post."))
    now = now or timezone.now()
    if (
        Flag.objects.filter(reporter=reporter, created_at__gte=now - timedelta(days=1)).count()
        >= settings.FLAGS_PER_DAY
    ):
        raise RateLimited(
            _("You can flag %(n)s posts a day. Lab staff will look at those already flagged.")
            % {"n": settings.FLAGS_PER_DAY}
        )
    return Flag.objects.create(post=post, reporter=reporter, reason=reason.strip(), created_at=now)


def _record(actor, action, *, topic=None, post=None, reason=""):
    ModerationAction.objects.create(
        actor=actor, action=action, topic=topic, post=post, reason=reason[:300]
    )


def _require_moderator(user):
    if not is_lab_staff(user):
        raise PermissionDenied(_("Only lab staff moderate."))


@transaction.atomic
def post_hide(*, post, by, reason, now=None):
    """Hides a post (its author is told why) and resolves the flags on it."""
    _require_moderator(by)
    now = now or timezone.now()
    post.hidden_at, post.hidden_reason = now, reason
    post.save(update_fields=["hidden_at", "hidden_reason"])
    post.flags.filter(resolved_at__isnull=True).update(resolved_at=now, resolved_by=by)
    _record(by, "hide", post=post, topic=post.topic, reason=reason)
    email_queue(
        to=post.author.email,
        user=post.author,
        kind="community/post_hidden",
        context={"post": post, "topic": post.topic, "reason": reason,
                 "url": settings.SITE_URL + post.topic.get_absolute_url()},
    )  # fmt: skip
    return post


@transaction.atomic
def post_restore(*, post, by, reason=""):
    _require_moderator(by)
    post.hidden_at, post.hidden_reason = None, ""
    post.save(update_fields=["hidden_at", "hidden_reason"])
    _record(by, "restore", post=post, topic=post.topic, reason=reason)
    return post


@transaction.atomic
def flags_dismiss(*, post, by, reason="", now=None):
    _require_moderator(by)
    post.flags.filter(resolved_at__isnull=True).update(
        resolved_at=now or timezone.now(), resolved_by=by
    )
    _record(by, "dismiss flags", post=post, topic=post.topic, reason=reason)


@transaction.atomic
def topic_moderate(*, topic, by, action, reason="", space=None):
    """lock / unlock / pin / unpin / move (to `space`), recorded with who and why."""
    _require_moderator(by)
    if action in ("lock", "unlock"):
        topic.locked = action == "lock"
    elif action in ("pin", "unpin"):
        topic.pinned = action == "pin"
    elif action == "move":
        if space is None:
            raise ValidationError(_("Choose the space to move the topic to."))
        topic.space = space
    else:
        raise ValidationError(_("Unknown moderation action."))
    topic.save()
    _record(by, action, topic=topic, reason=reason)
    return topic
