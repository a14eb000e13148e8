"""Forums: spaces, topics (discussions, questions, experiences), posts, moderation."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager


class Space(models.Model):
    class Audience(models.TextChoices):
        MEMBERS = "members", _("All members")
        ALUMNI = "alumni", _("Alumni only")
        PRIVATE = "private", _("Private to a cohort or programme")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    audience = models.CharField(
        _("who can read and post"), max_length=10, choices=Audience.choices,
        default=Audience.MEMBERS,
    )  # fmt: skip
    cohort = models.OneToOneField(
        "learning.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="space",
    )  # fmt: skip
    programme = models.ForeignKey(
        "learning.Programme", verbose_name=_("programme"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="spaces",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("forum space")
        verbose_name_plural = _("forum spaces")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience="private")
                | Q(cohort__isnull=False)
                | Q(programme__isnull=False),
                name="space_private_has_a_group",
                violation_error_message=_("A private space belongs to a cohort or a programme."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:space", args=[self.slug])


class Topic(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        QUESTION = "question", _("Question")
        EXPERIENCE = "experience", _("Experience")

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    tags = TaggableManager(_("tags"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topics"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    accepted_post = models.ForeignKey(
        "Post", verbose_name=_("accepted answer"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    # An experience's structured parts (the first post holds its rendered text).
    context = models.TextField(_("context"), blank=True)
    tried = models.TextField(_("what we tried"), blank=True)
    worked = models.TextField(_("what worked"), blank=True)
    failed = models.TextField(_("where we failed"), blank=True)
    lessons = models.TextField(_("key learning points"), blank=True)
    related_offering = models.ForeignKey(
        "learning.Offering", verbose_name=_("from the offering"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    related_toolkit = models.ForeignKey(
        "toolkits.Toolkit", verbose_name=_("from the toolkit"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-pinned", "-last_activity_at"]
        indexes = [
            models.Index(
                fields=["space", "-pinned", "-last_activity_at"], name="topic_space_order_idx"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:topic", args=[self.pk])


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    body = models.TextField(_("message"), max_length=20000)
    body_html = models.TextField(editable=False)
    quoted = models.ForeignKey(
        "self", verbose_name=_("quoting"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted by its author"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by a moderator"), null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    # Set once its followers and mentioned people were notified; the outbox sweep notifies
    # posts whose task never ran (the broker was down when it was written).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Topic title (weight A) and body (weight B), kept up to date by the forum services on
    # PostgreSQL and searched through a GIN index; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["topic", "created_at"], name="post_topic_order_idx"),
            # Search ranks the most recent matches of a common term (community.selectors).
            models.Index(fields=["-created_at"], name="post_recent_idx"),
            models.Index(
                fields=["created_at"],
                condition=Q(notified_at__isnull=True),
                name="post_unnotified_idx",
            ),
        ]

    def __str__(self):
        return f"Post {self.pk} in {self.topic}"

    def get_absolute_url(self):
        return f"{self.topic.get_absolute_url()}#post-{self.pk}"

    @property
    def is_removed(self):
        return self.deleted_at is not None or self.hidden_at is not None


class PostRevision(models.Model):
    """An earlier text of an edited post (visible to moderators)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self):
        return f"Revision of post {self.post_id}"


class Reaction(models.Model):
    """ "Helpful", once per person and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="helpful_once")]

    def __str__(self):
        return f"{self.user} found post {self.post_id} helpful"


class TopicRead(models.Model):
    """When a person last read a topic: newer posts are unread."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="topic_read_once")]

    def __str__(self):
        return f"{self.user} read {self.topic_id}"


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at"]

    def __str__(self):
        return f"Flag on post {self.post_id}"


class ModerationAction(models.Model):
    """Who did what to which topic or post, and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.action} by {self.actor}"


class Follow(models.Model):
    """Someone follows a topic or a whole space, to hear of new posts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, space__isnull=True)
                | Q(topic__isnull=True, space__isnull=False),
                name="follow_topic_or_space",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="follow_topic_once"),
            models.UniqueConstraint(fields=["user", "space"], name="follow_space_once"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.topic or self.space}"


class Notification(models.Model):
    """A new post someone should hear about: shown on the site, e-mailed as they chose."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply in a topic you follow")
        TOPIC = "topic", _("New topic in a space you follow")
        MENTION = "mention", _("You were mentioned")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="notification_once_per_post")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user}"
