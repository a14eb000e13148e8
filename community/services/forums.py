"""Forums: writing topics and posts, reactions, answers, read marks, following.

Posts are Markdown rendered once, on write, through community.accounts.markup (sanitised
by nh3); pages show the stored HTML. New posts queue their notifications (see
community.services.notifications).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.errors import RateLimited, Refused
from community.accounts.markup import render_markdown
from community.accounts.roles import is_lab_staff
from community.models import Follow, Post, PostRevision, Reaction, Topic, TopicRead
from community.outbox.services import enqueue_after_commit
from community.policy import can_read


class PostRefused(Refused):
    """A post the rules do not allow (locked topic, rate limit, no access)."""


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
    """Posts an hour: FORUM_POSTS_PER_HOUR for everyone, FORUM_NEW_ACCOUNT_POSTS_PER_HOUR
    for accounts younger than FORUM_NEW_ACCOUNT_DAYS (spam control); lab staff are not
    limited. Raises RateLimited (the 429 page)."""
    if is_lab_staff(user):
        return
    new = user.date_joined >= now - timedelta(days=settings.FORUM_NEW_ACCOUNT_DAYS)
    limit = settings.FORUM_NEW_ACCOUNT_POSTS_PER_HOUR if new else settings.FORUM_POSTS_PER_HOUR
    recent = Post.objects.filter(author=user, created_at__gte=now - timedelta(hours=1)).count()
    if recent >= limit:
        message = (
            _("New accounts can post %(n)s times an hour. Please wait a little and try again.")
            if new
            else _("You can post %(n)s times an hour. Please wait a little and try again.")
        )
        raise RateLimited(message % {"n": limit})


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
    if not reads.filter(read_at__lt=Subquery(last_activity)).update(read_at=now) and (
        not reads.exists()
    ):
        TopicRead.objects.bulk_create(
            [TopicRead(topic_id=topic_id, user=user, read_at=now)],
            update_conflicts=True,
            unique_fields=["topic", "user"],
            update_fields=["read_at"],
        )


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
    # community.tasks imports the services: a real cycle, so the task is imported here.
    from community.tasks import forum_post_notify

    Follow.objects.get_or_create(user=post.author, topic=post.topic)
    enqueue_after_commit(forum_post_notify, post.pk)
