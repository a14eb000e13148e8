"""The outbox in the admin: lab staff read what was sent (security e-mails hidden)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from community.outbox.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "sensitive"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "to",
        "user",
        "kind",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "sensitive",
        "body",
    ]
    readonly_fields = fields
    list_select_related = ["user"]

    @admin.display(description=_("body"))
    def body(self, obj):
        if obj.sensitive:
            return _("Hidden: this security e-mail carries a sign-in link or code.")
        return obj.body_text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
