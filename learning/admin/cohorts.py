"""A cohort's invitations and messages in the admin (read-only: both are made from the
cohort's own page, community.admin.cohorts)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from learning.models import CohortInvitation, CohortMessage


@admin.register(CohortInvitation)
class CohortInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "cohort", "invited_by", "created_at", "accepted_at"]
    list_filter = [("cohort", admin.RelatedOnlyFieldListFilter), "accepted_at"]
    list_select_related = ["cohort", "invited_by"]
    search_fields = ["email", "name"]
    readonly_fields = [
        "cohort", "email", "name", "organisation", "invited_by", "created_at", "accepted_by",
        "accepted_at",
    ]  # fmt: skip
    exclude = ["token"]

    def has_add_permission(self, request):
        return False  # invitations are made by a cohort's "Invite and import"


@admin.register(CohortMessage)
class CohortMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "cohort", "sent_by", "sent_at", "recipient_count"]
    list_select_related = ["cohort", "sent_by"]
    search_fields = ["subject", "body"]
    date_hierarchy = "sent_at"
    readonly_fields = ["cohort", "subject", "body", "sent_by", "sent_at", "recipients"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_recipients=Count("recipients"))

    @admin.display(description=_("recipients"), ordering="n_recipients")
    def recipient_count(self, obj):
        return obj.n_recipients

    def has_add_permission(self, request):
        return False  # written from the cohort page, so it is sent and recorded together
