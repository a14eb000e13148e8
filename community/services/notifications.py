"""Notifications: who hears of a new post (followers, mentioned people), on the site and
by e-mail as each person chose; the sweep for notifications whose task was lost; the
daily and weekly summaries."""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from community import policy
from community.accounts.models import User
from community.models import Follow, Notification, Post
from community.outbox.services import email_queue
from community.policy import readers_among

MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]{0,49})", re.IGNORECASE)


def mentioned_handles(text):
    return {m.lower() for m in MENTION.findall(text or "")}


def forum_post_notify(*, post_id, now=None):
    """Creates the notifications a new post causes and e-mails those who want it at once.

    Safe to run twice: notifications are unique per person and post, e-mails per the same.
    Returns the number of notifications created.
    """
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
    url = settings.SITE_URL + post.get_absolute_url()
    for person in allowed:
        # Mentions too follow the person's choice: a daily or weekly summary carries them
        # (marked as mentions), and "off" means no e-mail at all.
        if person.forum_emails != User.ForumEmails.IMMEDIATE:
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


def forum_daily_send(*, now=None, frequency=User.ForumEmails.DAILY):
    """One summary a day (or a week) for people who chose it: the notifications not yet
    e-mailed about posts they may still read (community.policy), mentions marked as such,
    once per person and period."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if frequency == User.ForumEmails.WEEKLY:
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
            policy.notifications_for(person)
            .filter(emailed_at__isnull=True)
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
    return marked
