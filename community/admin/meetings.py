"""Sharing meetings in the admin: series, meetings (times and reports go through the
services), reminders."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from community import services
from community.models import Meeting, MeetingReminder, MeetingSeries, Rsvp


class RsvpInline(admin.TabularInline):
    model = Rsvp
    extra = 0
    fields = ["user", "answer", "waitlisted", "answered_at", "attended"]
    readonly_fields = ["user", "answer", "waitlisted", "answered_at"]
    verbose_name_plural = _("answers (tick who attended)")

    def has_add_permission(self, request, obj=None):
        return False  # people answer on the site

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "cadence_months", "reminder_offsets", "active"]
    list_select_related = ["programme"]
    search_fields = ["title", "programme__title"]
    autocomplete_fields = ["programme", "organisers"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "status", "format", "programme", "going", "has_report"]
    list_filter = ["status", "format", ("programme", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["programme"]
    search_fields = ["title", "venue"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["series", "programme", "extra_invitees", "organisers"]
    inlines = [RsvpInline]
    actions = ["schedule", "cancel"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "series", "programme", "status"]}),
        (
            _("When and where"),
            {"fields": ["starts_at", "ends_at", "format", "venue", "online_link", "capacity"]},
        ),
        (_("Content"), {"fields": ["agenda", "organisers", "extra_invitees"]}),
        (
            _("Report (after the meeting)"),
            {
                "fields": [
                    "report_shared",
                    "report_worked",
                    "report_failed",
                    "report_followups",
                    "report_written_at",
                ]
            },
        ),
    ]
    readonly_fields = ["status", "report_written_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_going=Count(
                    "rsvps", filter=Q(rsvps__answer=Rsvp.Answer.GOING, rsvps__waitlisted=False)
                )
            )
        )

    @admin.display(description=_("going"), ordering="n_going")
    def going(self, obj):
        return obj.n_going

    @admin.display(description=_("report"), boolean=True)
    def has_report(self, obj):
        return obj.has_report

    def save_model(self, request, obj, form, change):
        # Through the services: people who answered are told of a new time, reminders
        # re-arm, and a report stamps its date.
        if change:
            services.meeting_update(meeting=obj, by=request.user)
        else:
            services.meeting_create(meeting=obj, by=request.user)

    @admin.action(description=_("Announce (schedule) drafts"), permissions=["change"])
    def schedule(self, request, queryset):
        for meeting in queryset.filter(status=Meeting.Status.DRAFT):
            services.meeting_schedule(meeting=meeting, by=request.user)
            self.log_change(request, meeting, "Scheduled")
        self.message_user(request, _("Drafts announced."), messages.SUCCESS)

    @admin.action(description=_("Cancel (tells everyone who answered)"), permissions=["change"])
    def cancel(self, request, queryset):
        for meeting in queryset:
            services.meeting_cancel(meeting=meeting, by=request.user)
            self.log_change(request, meeting, "Cancelled")
        self.message_user(request, _("Meetings cancelled."), messages.SUCCESS)


@admin.register(MeetingReminder)
class MeetingReminderAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "offset_minutes", "starts_at", "sent_at", "skipped"]
    list_filter = ["skipped"]
    list_select_related = ["meeting", "user"]
    search_fields = ["meeting__title", "user__display_name"]
    readonly_fields = ["meeting", "user", "offset_minutes", "starts_at", "sent_at", "skipped"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
