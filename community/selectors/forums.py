"""Forums: who may read a space, the spaces, topics and posts pages show, moderation."""

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Subquery

from community import policy
from community.accounts.paging import counted
from community.accounts.tags import tagged_ids
from community.models import Follow, Post, Reaction, Space, Topic, TopicRead


def space_list(*, user):
    return (
        Space.objects.filter(policy.readable_spaces_q(user))
        .annotate(
            topic_count=Count("topics", distinct=True),
            post_count=Count("topics__posts", distinct=True),
            latest=Max("topics__last_activity_at"),
        )
        .order_by("position", "name")
    )


def space_get(*, slug, user):
    """The space `slug` if `user` may read it (policy.can_read: no query for an open or
    alumni space); None otherwise."""
    space = Space.objects.filter(slug=slug).first()
    return space if space is not None and policy.can_read(space, user) else None


def space_by_id(value):
    """The space a moderation form names by id (any space: moderators see all), or None
    for a missing or malformed id."""
    return Space.objects.filter(pk=value).first() if str(value or "").isdigit() else None


class CountedApart:
    """Rows for a Paginator whose total comes from a plainer queryset: counting the
    annotated one would compute every row's annotations just to count them."""

    def __init__(self, rows, counted):
        self.rows, self.counted = rows, counted
        self.ordered = True

    def count(self):
        return self.counted.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return self.rows[index]


def topic_list(*, space, user, kind=None, tag=None, best=False):
    last_read = TopicRead.objects.filter(topic=OuterRef("pk"), user=user).values("read_at")[:1]
    base = Topic.objects.filter(space=space)
    if kind:
        base = base.filter(kind=kind)
    if tag:
        base = base.filter(pk__in=tagged_ids(Topic, tag))
    if best:
        return (
            base.select_related("author")
            .annotate(
                reply_count=Count("posts", distinct=True) - 1,
                helpful=Count("posts__reactions", distinct=True),
                read_at=Subquery(last_read),
            )
            .filter(kind=Topic.Kind.EXPERIENCE, helpful__gt=0)
            .order_by("-helpful", "-created_at")
        )

    rows = (
        base.select_related("author")
        .annotate(
            reply_count=counted(Post.objects.filter(topic=OuterRef("pk")), "topic_id") - 1,
            helpful=counted(
                Reaction.objects.filter(post__topic=OuterRef("pk")).annotate(
                    topic_id=F("post__topic_id")
                ),
                "topic_id",
            ),
            read_at=Subquery(last_read),
        )
        .order_by("-pinned", "-last_activity_at", "-pk")
    )
    return CountedApart(rows, base)


def topic_get(*, pk, user):
    """A topic in a space `user` may read, with what its page shows (not its author: the
    page names the author of each post, and joining a person's row costs as much as the
    rest of the query); None otherwise."""
    topic = (
        Topic.objects.filter(pk=pk)
        .select_related("space", "related_offering", "related_toolkit")
        .first()
    )
    return topic if topic is not None and policy.can_read(topic.space, user) else None


def topic_posts(*, topic, reader=None):
    """A topic's posts in order, each with its `helpful` count (a correlated subquery for
    the page's rows, so neither the rows nor the pager's count group every column) and,
    given a reader, `marked`: whether they found it helpful."""
    marks = Reaction.objects.filter(post=OuterRef("pk"))
    posts = (
        Post.objects.filter(topic=topic)
        .select_related("author__organisation", "quoted__author")
        .annotate(helpful=counted(marks, "post"))
        .order_by("created_at", "pk")
    )
    if reader is not None:
        posts = posts.annotate(marked=Exists(marks.filter(user=reader)))
    return posts


def post_get(*, pk, user):
    """A post shown as written (not hidden, not deleted) in a topic `user` may read, with
    its topic; None otherwise."""
    post = policy.shown_posts().select_related("topic").filter(pk=pk).first()
    if post is None or topic_get(pk=post.topic_id, user=user) is None:
        return None
    return post


def post_in_topic(*, topic, pk):
    """A post of `topic` shown as written, named by a form or a link (quoting); None for
    a removed post, or a missing or malformed id."""
    if not str(pk or "").isdigit():
        return None
    return policy.shown_posts().filter(topic=topic, pk=pk).first()


def post_for_moderation(*, pk):
    return Post.objects.select_related("topic", "author").filter(pk=pk).first()


def topic_for_moderation(*, pk):
    return Topic.objects.filter(pk=pk).first()


def is_following(*, user, topic=None, space=None):
    target = {"topic": topic} if topic is not None else {"space": space}
    return Follow.objects.filter(user=user, **target).exists()


def notifications_for(*, user, limit=100):
    """`user`'s notifications about posts they may still read, newest first."""
    return list(
        policy.notifications_for(user)
        .select_related("post__topic", "post__author")
        .order_by("-created_at", "-pk")[:limit]
    )


def moderation_queue():
    return (
        # Both conditions in one filter(): the same flag row must exist and be open.
        Post.objects.filter(flags__isnull=False, flags__resolved_at__isnull=True)
        .select_related("author", "topic__space")
        .prefetch_related("flags__reporter")
        .annotate(first_flag=Min("flags__created_at"))
        .order_by("first_flag")
        .distinct()
    )
