"""The capability framework, and the outcomes panel of the offering, programme and cohort
pages: figures only, each withheld below learning.policy.ENOUGH_PEOPLE. No admin screen
lists a person's ratings, feedback or follow-up: those are theirs alone."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from learning import policy
from learning.models import Capability, CapabilityArea, Enrolment
from learning.selectors import outcomes as outcome_selectors


class CapabilityInline(admin.StackedInline):
    model = Capability
    extra = 0
    fields = [("name", "position"), "description", "level_1", "level_2", "level_3", "level_4"]


@admin.register(CapabilityArea)
class CapabilityAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "description"]
    list_editable = ["position"]
    search_fields = ["name"]
    inlines = [CapabilityInline]


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "position"]
    list_filter = ["area"]
    list_select_related = ["area"]
    search_fields = ["name", "description"]
    fields = ["area", ("name", "position"), "description", "level_1", "level_2", "level_3",
              "level_4"]  # fmt: skip


def outcomes_panel(enrolments):
    """The outcomes of `enrolments` (a queryset) as lab staff see them: distributions,
    net recommendation, use at work, growth per capability and free text without names,
    each withheld below ENOUGH_PEOPLE."""
    return render_to_string(
        "admin/learning/_outcomes.html",
        {"summary": outcome_selectors.summary(enrolments), "enough": policy.ENOUGH_PEOPLE},
    )


class OutcomesPanelMixin:
    """A read-only "Learning outcomes" field for a model admin whose objects have
    enrolments (`outcome_enrolments(obj)` says which)."""

    @admin.display(description=_("learning outcomes"))
    def outcomes(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return outcomes_panel(self.outcome_enrolments(obj))

    def outcome_enrolments(self, obj):
        raise NotImplementedError


def programme_enrolments(programme):
    return Enrolment.objects.filter(policy.in_group(programme=programme))
