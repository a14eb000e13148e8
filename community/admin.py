from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community import services
from community.models import (
    AdviceRequest,
    ChangeAgent,
    Meeting,
    MeetingReminder,
    MeetingSeries,
    ModerationAction,
    Organisation,
    OutgoingEmail,
    Post,
    PostRevision,
    Rsvp,
    Space,
    SpreadActivity,
    User,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["display_name"]
    list_display = ["display_name", "email", "handle", "organisation", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    list_select_related = ["organisation"]
    search_fields = ["display_name", "email", "handle", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["last_login", "date_joined", "alumnus_since"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "handle",
                    "job_title",
                    "organisation",
                    "country",
                    "time_zone",
                    "preferred_language",
                    "bio",
                    "expertise",
                    "visibility",
                    "open_to_advice",
                    "advice_topics",
                    "alumnus_since",
                ]
            },
        ),
        (
            _("Access"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only superusers decide who is staff and who is in which group.
            readonly += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return readonly


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


# --- alumni network ------------------------------------------------------------------------


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
                refused.append(f"{agent.user}: {' '.join(error.messages)}")
                continue
            self.log_change(
                request, agent, "Nomination approved" if approve else "Nomination declined"
            )
            done += 1
        self.message_user(
            request,
            ngettext("%(n)d nomination decided.", "%(n)d nominations decided.", done) % {"n": done},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(request, "; ".join(refused), messages.WARNING)

    @admin.action(description=_("Approve nominations"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Decline nominations"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, False)

    @admin.action(description=_("End designation"), permissions=["change"])
    def end(self, request, queryset):
        for agent in queryset:
            agent.status = ChangeAgent.Status.ENDED
            agent.save(update_fields=["status"])
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


# --- sharing meetings ---------------------------------------------------------------------------


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
                n_going=Count("rsvps", filter=Q(rsvps__answer="going", rsvps__waitlisted=False))
            )
        )

    @admin.display(description=_("going"), ordering="n_going")
    def going(self, obj):
        return obj.n_going

    @admin.display(description=_("report"), boolean=True)
    def has_report(self, obj):
        return obj.has_report

    def save_model(self, request, obj, form, change):
        # Times and the report go through the services: people who answered are told of a
        # new time, reminders re-arm, and the report stamps its date.
        if change and {"starts_at", "ends_at"} & set(form.changed_data):
            new_start, new_end = obj.starts_at, obj.ends_at
            original = Meeting.objects.get(pk=obj.pk)
            obj.starts_at, obj.ends_at = original.starts_at, original.ends_at
            super().save_model(request, obj, form, change)
            services.meeting_reschedule(
                meeting=obj, starts_at=new_start, ends_at=new_end, by=request.user
            )
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)
        report = ["report_shared", "report_worked", "report_failed", "report_followups"]
        if set(report) & set(form.changed_data):
            services.meeting_report_write(
                meeting=obj,
                by=request.user,
                **{f.removeprefix("report_"): getattr(obj, f) for f in report},
            )

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


# --- forums -------------------------------------------------------------------------------


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
