"""Forums in the admin: spaces; posts and moderation actions read-only (moderation
happens on the site)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from community.models import ModerationAction, Post, PostRevision, Space


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "audience", "cohort", "programme", "position"]
    list_filter = ["audience"]
    list_select_related = ["cohort", "programme"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["cohort", "programme"]


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    can_delete = False
    fields = ["replaced_at", "body"]
    readonly_fields = fields
    verbose_name_plural = _("edit history")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Read-only: moderation happens on the site (queue and topic pages), recorded."""

    list_display = ["topic", "author", "created_at", "edited_at", "deleted_at", "hidden_at"]
    list_filter = ["hidden_at", "deleted_at"]
    list_select_related = ["topic", "author"]
    search_fields = ["body", "author__display_name", "topic__title"]
    readonly_fields = [
        "topic", "author", "body", "created_at", "edited_at", "deleted_at", "hidden_at",
        "hidden_reason",
    ]  # fmt: skip
    exclude = ["body_html", "quoted"]
    inlines = [PostRevisionInline]

    def has_add_permission(self, request):
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "topic", "post", "reason"]
    list_filter = ["action"]
    list_select_related = ["actor", "topic", "post"]
    readonly_fields = ["at", "actor", "action", "topic", "post", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
