"""Change agents, their spread log and advice requests in the admin."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community import services
from community.accounts.admin import report_outcome
from community.models import AdviceRequest, ChangeAgent, SpreadActivity


class ChangeAgentForm(forms.ModelForm):
    class Meta:
        model = ChangeAgent
        fields = ["user", "home_agency", "designated_on", "commitment"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.is_alumnus:
            raise forms.ValidationError(
                _("%(name)s has not completed anything yet: only alumni become change agents.")
                % {"name": user}
            )
        return user


@admin.register(ChangeAgent)
class ChangeAgentAdmin(admin.ModelAdmin):
    form = ChangeAgentForm
    list_display = ["user", "home_agency", "status", "designated_on", "activity_count"]
    list_filter = ["status", ("home_agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "home_agency"]
    search_fields = ["user__display_name", "user__email", "home_agency__name"]
    autocomplete_fields = ["user", "home_agency"]
    actions = ["approve", "decline", "end"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_activities=Count("activities"))

    @admin.display(description=_("activities"), ordering="n_activities")
    def activity_count(self, obj):
        return obj.n_activities

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj else []

    def save_model(self, request, obj, form, change):
        # Designation goes through the service so the person is told and the dates kept.
        agent = services.change_agent_designate(
            user=form.cleaned_data.get("user", obj.user),
            home_agency=form.cleaned_data["home_agency"],
            designated_on=form.cleaned_data.get("designated_on"),
            commitment=form.cleaned_data.get("commitment"),
            by=request.user,
        )
        obj.pk = agent.pk

    def _decide(self, request, queryset, approve):
        done, refused = 0, []
        for agent in queryset.select_related("user", "home_agency"):
            try:
                services.change_agent_decide(agent=agent, approve=approve, by=request.user)
            except ValidationError as error:
                refused.append((agent.user, " ".join(error.messages)))
                continue
            self.log_change(
                request, agent, "Nomination approved" if approve else "Nomination declined"
            )
            done += 1
        report_outcome(
            self,
            request,
            done=done,
            refused=refused,
            done_message=lambda n: (
                ngettext("%(n)d nomination decided.", "%(n)d nominations decided.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Approve nominations"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Decline nominations"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, False)

    @admin.action(description=_("End designation"), permissions=["change"])
    def end(self, request, queryset):
        for agent in queryset:
            services.designation_end(agent=agent, by=request.user)
            self.log_change(request, agent, "Designation ended")
        self.message_user(request, _("Done."), messages.SUCCESS)


@admin.register(SpreadActivity)
class SpreadActivityAdmin(admin.ModelAdmin):
    list_display = [
        "happened_on", "change_agent", "kind", "agency", "team", "people_reached", "verified_at",
    ]  # fmt: skip
    list_filter = ["kind", ("agency", admin.RelatedOnlyFieldListFilter), "verified_at"]
    list_select_related = ["change_agent__user", "agency"]
    search_fields = ["description", "team", "change_agent__user__display_name", "agency__name"]
    date_hierarchy = "happened_on"
    readonly_fields = [
        "change_agent", "kind", "happened_on", "agency", "team", "people_reached", "description",
        "created_at", "verified_by", "verified_at",
    ]  # fmt: skip
    actions = ["verify"]

    def has_add_permission(self, request):
        return False  # change agents write their own log

    @admin.action(description=_("Verify"), permissions=["change"])
    def verify(self, request, queryset):
        for activity in queryset:
            services.spread_activity_verify(activity=activity, by=request.user)
            self.log_change(request, activity, "Verified")
        n = queryset.count()
        self.message_user(
            request,
            ngettext("%(n)d activity verified.", "%(n)d activities verified.", n) % {"n": n},
            messages.SUCCESS,
        )


@admin.register(AdviceRequest)
class AdviceRequestAdmin(admin.ModelAdmin):
    """For handling abuse: lab staff read a conversation and can close it."""

    list_display = ["subject", "requester", "recipient", "status", "created_at", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["requester", "recipient"]
    search_fields = ["subject", "requester__display_name", "recipient__display_name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "requester", "recipient", "subject", "message", "status", "created_at", "updated_at",
        "closed_by",
    ]  # fmt: skip
    actions = ["close"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Close (abuse or spam)"), permissions=["change"])
    def close(self, request, queryset):
        closed = 0
        for advice in queryset:
            try:
                services.advice_close(request=advice, by=request.user)
            except services.AdviceRefused:
                continue
            self.log_change(request, advice, "Closed by lab staff")
            closed += 1
        self.message_user(
            request,
            ngettext("%(n)d conversation closed.", "%(n)d conversations closed.", closed)
            % {"n": closed},
            messages.SUCCESS,
        )
