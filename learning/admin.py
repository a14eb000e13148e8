from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from learning.models import (
    Cohort,
    Enrolment,
    EnrolmentStatusChange,
    Offering,
    Programme,
    Session,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["title", "starts_at", "ends_at", "place"]


class ProgrammeStepInline(admin.TabularInline):
    model = Offering
    fk_name = "programme"
    extra = 0
    fields = ["programme_position", "title", "mode", "status", "starts_on"]
    readonly_fields = ["title", "mode", "status", "starts_on"]
    ordering = ["programme_position"]
    verbose_name = _("step")
    verbose_name_plural = _("steps (offerings in this programme, in order)")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "host_lab", "status", "starts_on", "ends_on", "enrolment_policy"]
    list_filter = ["status", "enrolment_policy", "host_lab"]
    list_select_related = ["host_lab"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_lab"]
    date_hierarchy = "starts_on"
    inlines = [ProgrammeStepInline]


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "mode",
        "host_lab",
        "status",
        "starts_on",
        "capacity",
        "enrolment_policy",
    ]
    list_filter = ["mode", "status", "format", "enrolment_policy", "host_lab", "language"]
    list_select_related = ["host_lab"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_lab", "sponsor", "programme"]
    date_hierarchy = "starts_on"
    inlines = [SessionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "mode", "status", "summary", "description", "tags"]}),
        (_("Where it sits"), {"fields": ["host_lab", "programme", "programme_position"]}),
        (
            _("Practicalities"),
            {
                "fields": [
                    "format",
                    "location",
                    "online_details",
                    "language",
                    "audience",
                    "starts_on",
                    "ends_on",
                ]
            },
        ),
        (
            _("Enrolment"),
            {"fields": ["enrolment_policy", "capacity", "application_deadline"]},
        ),
        (_("Taught class"), {"fields": ["tools_introduced"], "classes": ["collapse"]}),
        (
            _("Learning-by-doing project"),
            {
                "fields": ["challenge", "sponsor", "cross_departmental", "circle_size"],
                "classes": ["collapse"],
            },
        ),
        (
            _("Secondment"),
            {"fields": ["duration_months", "requirements"], "classes": ["collapse"]},
        ),
    ]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "offering", "programme", "starts_on", "ends_on"]
    list_select_related = ["offering", "programme"]
    list_filter = ["programme", "offering__mode"]
    search_fields = ["name", "offering__title", "programme__title"]
    autocomplete_fields = ["offering", "programme", "lead_staff"]
    date_hierarchy = "starts_on"


class StatusChangeInline(admin.TabularInline):
    model = EnrolmentStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "offering", "programme", "cohort", "status", "created_at"]
    list_filter = ["status", "offering__mode"]
    list_select_related = ["user", "offering", "programme", "cohort"]
    search_fields = ["user__display_name", "user__email"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user", "offering", "programme", "cohort", "encouraged_by"]
    readonly_fields = [
        "status",
        "created_at",
        "updated_at",
        "waitlisted_at",
        "decided_by",
        "decided_at",
    ]
    inlines = [StatusChangeInline]
