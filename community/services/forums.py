"""Forums: who may read a space, writing topics and posts, reactions, moderation.

Posts are Markdown rendered once, on write, through community.markup (sanitised by nh3);
pages show the stored HTML. Every moderation action is recorded with who and why.
"""

import re
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from community.errors import Refused
from community.markup import render_markdown
from community.models import (
    Flag,
    Follow,
    ModerationAction,
    Notification,
    Post,
    PostRevision,
    Reaction,
    Space,
    Topic,
    TopicRead,
)
from community.roles import is_lab_staff
from community.services.emails import email_queue
from innolab import pagecache


class PostRefused(Refused):
    """A post the rules do not allow (locked topic, rate limit, no access)."""


def readable_spaces_filter(user):
    """Q of the spaces `user` may read (and write in)."""
    if is_lab_staff(user):
        return Q()
    allowed = Q(audience=Space.Audience.MEMBERS)
    if user.is_alumnus:
        allowed |= Q(audience=Space.Audience.ALUMNI)
    Enrolment = apps.get_model("learning", "Enrolment")
    mine = Enrolment.objects.filter(user=user).active()
    allowed |= Q(audience=Space.Audience.PRIVATE) & (
        Q(cohort__in=mine.filter(cohort__isnull=False).values("cohort"))
        | Q(programme__in=mine.filter(programme__isnull=False).values("programme"))
        | Q(
            programme__in=mine.filter(offering__programme__isnull=False).values(
                "offering__programme"
            )
        )
    )
    return allowed


def readers_among(space, user_ids):
    """The active people among `user_ids` who may read `space`, in one query (the same
    rules as readable_spaces_filter, seen from the space's side)."""
    from community.models import User
    from community.roles import LAB_STAFF_GROUP

    people = User.objects.filter(pk__in=list(user_ids), is_active=True)
    if space.audience == Space.Audience.MEMBERS:
        return list(people)
    allowed = Q(is_staff=True) & (Q(is_superuser=True) | Q(groups__name=LAB_STAFF_GROUP))
    if space.audience == Space.Audience.ALUMNI:
        allowed |= Q(alumnus_since__isnull=False)
    else:
        active = apps.get_model("learning", "Enrolment").objects.active()
        groups = Q(pk__in=[])
        if space.cohort_id:
            groups |= Q(cohort_id=space.cohort_id)
        if space.programme_id:
            groups |= Q(programme_id=space.programme_id) | Q(
                offering__programme_id=space.programme_id
            )
        allowed |= Q(pk__in=active.filter(groups).values("user"))
    return list(people.filter(allowed).distinct())


def can_read(space, user):
    if not user.is_authenticated:
        return False
    return Space.objects.filter(pk=space.pk).filter(readable_spaces_filter(user)).exists()


def _experience_body(parts):
    sections = [
        (_("Context"), parts.get("context")),
        (_("What we tried"), parts.get("tried")),
        (_("What worked"), parts.get("worked")),
        (_("Where we failed"), parts.get("failed")),
        (_("Key learning points"), parts.get("lessons")),
    ]
    return "\n\n".join(f"## {title}\n\n{text.strip()}" for title, text in sections if text)


def _check_rate(user, now):
    """New accounts may post only a few times an hour (spam control)."""
    new_for = timedelta(days=settings.FORUM_NEW_ACCOUNT_DAYS)
    if user.date_joined < now - new_for or is_lab_staff(user):
        return
    recent = Post.objects.filter(author=user, created_at__gte=now - timedelta(hours=1)).count()
    if recent >= settings.FORUM_NEW_ACCOUNT_POSTS_PER_HOUR:
        raise PostRefused(
            _("New accounts can post %(n)s times an hour. Please wait a little and try again.")
            % {"n": settings.FORUM_NEW_ACCOUNT_POSTS_PER_HOUR}
        )


def _index_for_search(post):
    """Topic title (weight A) and body (weight B) in the post's search vector (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    Post.objects.filter(pk=post.pk).update(
        search_vector=SearchVector(Value(post.topic.title), weight="A", config="simple")
        + SearchVector("body", weight="B", config="simple")
    )


def _new_post(topic, author, body, now, quoted=None):
    post = Post.objects.create(
        topic=topic,
        author=author,
        body=body,
        body_html=render_markdown(body),
        quoted=quoted,
        created_at=now,
    )
    _index_for_search(post)
    return post


@transaction.atomic
def topic_create(*, space, author, title, kind, body="", tags=(), experience=None, now=None):
    """Starts a topic with its first post. An experience's structured parts (context,
    tried, worked, failed, lessons, related offering/toolkit) make its first post.

    Raises PostRefused (no access, rate limit) or ValidationError (empty).
    """
    now = now or timezone.now()
    if not can_read(space, author):
        raise PostRefused(_("You cannot post in this space."))
    _check_rate(author, now)
    experience = experience or {}
    if kind == Topic.Kind.EXPERIENCE:
        if (
            not (experience.get("failed") or "").strip()
            or not (experience.get("lessons") or "").strip()
        ):
            raise ValidationError(
                _("An experience says where you failed and what you learned: fill both in.")
            )
        body = _experience_body(experience)
    if not title.strip() or not body.strip():
        raise ValidationError(_("A topic needs a title and a message."))
    topic = Topic.objects.create(
        space=space,
        title=title.strip(),
        kind=kind,
        author=author,
        created_at=now,
        last_activity_at=now,
        **{k: experience.get(k) or "" for k in ("context", "tried", "worked", "failed", "lessons")},
        related_offering=experience.get("related_offering"),
        related_toolkit=experience.get("related_toolkit"),
    )
    if tags:
        topic.tags.set(list(tags))
    post = _new_post(topic, author, body, now)
    _notify_after_commit(post)
    return topic


@transaction.atomic
def post_reply(*, topic, author, body, quoted=None, now=None):
    now = now or timezone.now()
    topic = Topic.objects.select_for_update().select_related("space").get(pk=topic.pk)
    if not can_read(topic.space, author):
        raise PostRefused(_("You cannot post in this space."))
    if topic.locked:
        raise PostRefused(_("This topic is locked: no new replies."))
    _check_rate(author, now)
    if not body.strip():
        raise ValidationError(_("Write a message first."))
    post = _new_post(topic, author, body, now, quoted=quoted)
    topic.last_activity_at = now
    topic.save(update_fields=["last_activity_at"])
    _notify_after_commit(post)
    return post


@transaction.atomic
def post_edit(*, post, by, body, now=None):
    """The author edits their post; the earlier text is kept for moderators."""
    if post.author_id != by.pk:
        raise PermissionDenied(_("Only the author can edit a post."))
    if post.is_removed:
        raise PostRefused(_("A removed post cannot be edited."))
    PostRevision.objects.create(post=post, body=post.body, replaced_at=now or timezone.now())
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = now or timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    _index_for_search(post)
    return post


def post_delete(*, post, by, now=None):
    """Soft delete by the author: the post shows as removed, the thread stays readable."""
    if post.author_id != by.pk:
        raise PermissionDenied(_("Only the author can delete a post."))
    post.deleted_at = now or timezone.now()
    post.save(update_fields=["deleted_at"])
    return post


def reaction_add(*, post, user):
    """Marks a post helpful; once per person (a second time changes nothing)."""
    if post.author_id == user.pk:
        raise PostRefused(_("You cannot mark your own post helpful."))
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user)
    except IntegrityError:
        return False
    return True


def answer_accept(*, topic, post, by):
    if topic.kind != Topic.Kind.QUESTION:
        raise PostRefused(_("Only questions have accepted answers."))
    if by.pk != topic.author_id and not is_lab_staff(by):
        raise PermissionDenied(_("Only the person who asked, or a moderator, can accept."))
    if post.topic_id != topic.pk:
        raise PostRefused(_("That answer belongs to another topic."))
    topic.accepted_post = post
    topic.save(update_fields=["accepted_post"])
    return topic


def topic_mark_read(*, topic_id, user, now=None):
    """Records that `user` has read the topic as it is now, so it is no longer "New".

    This runs on every view of a topic, so it writes only when something was posted since
    the last read (a page view changes no row otherwise), and never fails on a
    simultaneous first view."""
    now = now or timezone.now()
    reads = TopicRead.objects.filter(topic_id=topic_id, user=user)
    last_activity = Topic.objects.filter(pk=topic_id).values("last_activity_at")
    if reads.filter(read_at__lt=Subquery(last_activity)).update(read_at=now):
        pagecache.bump(f"reads:{user.pk}")
    elif not reads.exists():
        TopicRead.objects.bulk_create(
            [TopicRead(topic_id=topic_id, user=user, read_at=now)],
            update_conflicts=True,
            unique_fields=["topic", "user"],
            update_fields=["read_at"],
        )
        pagecache.bump(f"reads:{user.pk}")


def flag_create(*, post, reporter, reason):
    if not reason.strip():
        raise ValidationError(_("Say what is wrong with this post."))
    return Flag.objects.create(post=post, reporter=reporter, reason=reason.strip())


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
    pagecache.bump("forum")
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


def cohort_space_ensure(*, cohort):
    """Every cohort has a private space for its members (made when the cohort is)."""
    from django.utils.text import slugify

    space, _created = Space.objects.get_or_create(
        cohort=cohort,
        defaults={
            "name": cohort.name,
            "slug": f"cohort-{cohort.pk}-{slugify(cohort.name)}"[:150],
            "audience": Space.Audience.PRIVATE,
            "description": _("The private space of the cohort “%(c)s”.") % {"c": cohort.name},
        },
    )
    return space


# --- following, mentions, notifications -------------------------------------------------------

MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]{0,49})", re.IGNORECASE)


def follow_toggle(*, user, topic=None, space=None):
    """Follows (or stops following) a topic or a space; returns True when now following."""
    target = {"topic": topic} if topic is not None else {"space": space}
    if not can_read(topic.space if topic is not None else space, user):
        raise PostRefused(_("You cannot follow what you cannot read."))
    existing = Follow.objects.filter(user=user, **target)
    if existing.exists():
        existing.delete()
        return False
    Follow.objects.get_or_create(user=user, **target)
    return True


def _notify_after_commit(post):
    from community.services.emails import enqueue_after_commit
    from community.tasks import forum_post_notify

    Follow.objects.get_or_create(user=post.author, topic=post.topic)
    enqueue_after_commit(forum_post_notify, post.pk)


def mentioned_handles(text):
    return {m.lower() for m in MENTION.findall(text or "")}


def forum_post_notify(*, post_id, now=None):
    """Creates the notifications a new post causes and e-mails those who want it at once.

    Safe to run twice: notifications are unique per person and post, e-mails per the same.
    Returns the number of notifications created.
    """
    from community.models import User

    now = now or timezone.now()
    post = Post.objects.select_related("topic__space", "author").get(pk=post_id)
    topic = post.topic
    first = not topic.posts.filter(created_at__lt=post.created_at).exists()
    kinds = {}
    for user_id in Follow.objects.filter(space=topic.space).values_list("user", flat=True):
        kinds[user_id] = Notification.Kind.TOPIC if first else Notification.Kind.REPLY
    for user_id in Follow.objects.filter(topic=topic).values_list("user", flat=True):
        kinds[user_id] = Notification.Kind.REPLY
    handles = mentioned_handles(post.body)
    if handles:
        for user_id in User.objects.filter(handle__in=handles).values_list("pk", flat=True):
            kinds[user_id] = Notification.Kind.MENTION
    kinds.pop(post.author_id, None)
    allowed = readers_among(topic.space, kinds)
    Notification.objects.bulk_create(
        [Notification(user=u, kind=kinds[u.pk], post=post, created_at=now) for u in allowed],
        ignore_conflicts=True,
    )
    pagecache.bump(*(f"user:{u.pk}" for u in allowed))  # their unread counts
    url = settings.SITE_URL + post.get_absolute_url()
    for person in allowed:
        if person.forum_emails != "immediate" and kinds[person.pk] != Notification.Kind.MENTION:
            continue
        email_queue(
            to=person.email,
            user=person,
            kind="community/forum_post",
            context={"post": post, "topic": topic, "url": url, "why": kinds[person.pk]},
            dedupe_key=f"forum:{post.pk}:{person.pk}",
            now=now,
        )
        Notification.objects.filter(user=person, post=post).update(emailed_at=now)
    Post.objects.filter(pk=post.pk).update(notified_at=now)
    return len(allowed)


# A post's own task normally notifies within seconds; after this the sweep takes over.
NOTIFY_GRACE = timedelta(minutes=2)
# Older posts whose notification was lost are not announced any more.
NOTIFY_HORIZON = timedelta(days=7)


def forum_notify_sweep(*, now=None, limit=200):
    """Notifies the posts whose notification task never ran (the broker was down when
    they were written, or the task was lost). Safe to run beside the tasks: notifying is
    idempotent. Returns how many posts were notified."""
    now = now or timezone.now()
    missed = list(
        Post.objects.filter(
            notified_at__isnull=True,
            created_at__lt=now - NOTIFY_GRACE,
            created_at__gte=now - NOTIFY_HORIZON,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for post_id in missed:
        forum_post_notify(post_id=post_id, now=now)
    return len(missed)


def forum_daily_send(*, now=None, frequency="daily"):
    """One summary a day (or a week) for people who chose it: the notifications not yet
    e-mailed, once per person and period."""
    from community.models import User

    now = now or timezone.now()
    today = timezone.localdate(now)
    if frequency == "weekly":
        year, week, _day = today.isocalendar()
        period, lookback = f"{year}-W{week:02d}", timedelta(days=8)
    else:
        period, lookback = today.isoformat(), timedelta(days=2)
    sent = 0
    people = User.objects.filter(
        forum_emails=frequency,
        is_active=True,
        notifications__emailed_at__isnull=True,
        notifications__created_at__gte=now - lookback,
    ).distinct()
    for person in people:
        pending = list(
            person.notifications.filter(emailed_at__isnull=True)
            .select_related("post__topic", "post__author")
            .order_by("created_at")[:50]
        )
        if not pending:
            continue
        email_queue(
            to=person.email,
            user=person,
            kind="community/forum_daily",
            context={"notifications": pending, "SITE_URL": settings.SITE_URL},
            dedupe_key=f"forum-{frequency}:{person.pk}:{period}",
            now=now,
        )
        person.notifications.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        sent += 1
    return sent


def notifications_mark_read(*, user, now=None):
    marked = user.notifications.filter(read_at__isnull=True).update(read_at=now or timezone.now())
    pagecache.bump(f"user:{user.pk}")
    return marked
