"""The catalogue in the admin: programmes with their steps, offerings with their sessions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.accounts.admin import AccessibleAutocompleteMixin
from learning import services
from learning.admin.outcomes import OutcomesPanelMixin, programme_enrolments
from learning.models import Enrolment, Mode, Offering, Programme, Session


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
class ProgrammeAdmin(OutcomesPanelMixin, AccessibleAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "host_lab", "status", "starts_on", "ends_on", "enrolment_policy"]
    list_filter = ["status", "enrolment_policy", "host_lab"]
    list_select_related = ["host_lab"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_lab"]
    date_hierarchy = "starts_on"
    inlines = [ProgrammeStepInline]
    readonly_fields = ["outcomes"]

    def outcome_enrolments(self, obj):
        return programme_enrolments(obj)


@admin.register(Offering)
class OfferingAdmin(OutcomesPanelMixin, AccessibleAutocompleteMixin, admin.ModelAdmin):
    list_display = [
        "title", "mode", "host_lab", "status", "starts_on", "capacity", "enrolment_policy",
    ]  # fmt: skip
    list_filter = ["mode", "status", "format", "enrolment_policy", "host_lab", "language"]
    list_select_related = ["host_lab"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_lab", "sponsor", "programme"]
    readonly_fields = ["outcomes"]
    date_hierarchy = "starts_on"
    inlines = [SessionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "mode",
                    "status",
                    "summary",
                    "description",
                    "tags",
                    "capabilities",
                ]
            },
        ),
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
        (_("Enrolment"), {"fields": ["enrolment_policy", "capacity", "application_deadline"]}),
        (_("Taught class"), {"fields": ["tools_introduced"], "classes": ["collapse"]}),
        (
            _("Learning-by-doing project"),
            {
                "fields": ["challenge", "sponsor", "cross_departmental", "circle_size"],
                "classes": ["collapse"],
            },
        ),
        (_("Secondment"), {"fields": ["duration_months", "requirements"], "classes": ["collapse"]}),
        (_("Learning outcomes"), {"fields": ["outcomes"]}),
    ]

    def outcome_enrolments(self, obj):
        return Enrolment.objects.filter(offering=obj)

    def save_model(self, request, obj, form, change):
        if not change:
            services.offering_create(offering=obj)
            return
        # More seats: the people waiting get them, first in line first.
        promoted = services.offering_update(offering=obj)
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(n)d person was promoted from the waitlist.",
                    "%(n)d people were promoted from the waitlist.",
                    len(promoted),
                )
                % {"n": len(promoted)},
            )


class ModeFilter(admin.SimpleListFilter):
    """Mode of the offering, or "programme"; works on cohorts and enrolments alike."""

    title = _("mode")
    parameter_name = "mode"

    def lookups(self, request, model_admin):
        return [*Mode.choices, ("programme", _("Programme"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "programme":
            return queryset.filter(programme__isnull=False)
        if value:
            return queryset.filter(offering__mode=value)
        return queryset
