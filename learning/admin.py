"""Lab staff run the catalogue and cohorts here. Every action calls learning.services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.models import User
from community.services import cohort_space_ensure
from learning import digests, exports, services
from learning.models import (
    Cohort,
    CohortDigest,
    CohortInvitation,
    CohortMessage,
    Enrolment,
    EnrolmentStatusChange,
    Mode,
    Offering,
    Programme,
    Session,
)

Status = Enrolment.Status


class _Placeholder:
    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = str(_("Type to search…"))
        return attrs


_LABELLED = {}


class AccessibleAutocompleteMixin:
    """Gives Django's select2 autocomplete boxes a visible placeholder, which also serves
    as their accessible name while empty (axe flags them otherwise). Django's widget
    forces an empty placeholder, so the widget's class is swapped for a subclass."""

    def _with_placeholder(self, formfield):
        if formfield is not None:
            widget = getattr(formfield.widget, "widget", formfield.widget)
            if isinstance(widget, AutocompleteMixin) and not isinstance(widget, _Placeholder):
                cls = type(widget)
                if cls not in _LABELLED:
                    _LABELLED[cls] = type(f"Labelled{cls.__name__}", (_Placeholder, cls), {})
                widget.__class__ = _LABELLED[cls]
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._with_placeholder(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._with_placeholder(super().formfield_for_manytomany(db_field, request, **kwargs))


# --- catalogue -------------------------------------------------------------------------


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
class ProgrammeAdmin(AccessibleAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "host_lab", "status", "starts_on", "ends_on", "enrolment_policy"]
    list_filter = ["status", "enrolment_policy", "host_lab"]
    list_select_related = ["host_lab"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_lab"]
    date_hierarchy = "starts_on"
    inlines = [ProgrammeStepInline]


@admin.register(Offering)
class OfferingAdmin(AccessibleAutocompleteMixin, admin.ModelAdmin):
    list_display = [
        "title", "mode", "host_lab", "status", "starts_on", "capacity", "enrolment_policy",
    ]  # fmt: skip
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
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"capacity", "circle_size"} & set(form.changed_data):
            # More seats: the people waiting get them, first in line first.
            promoted = services.waitlist_promote(target=obj)
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


# --- shared pieces for enrolment actions -------------------------------------------------


def _audit_table(changes):
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                timezone.localtime(c.changed_at).strftime("%Y-%m-%d %H:%M"),
                c.enrolment.user if hasattr(c, "enrolment") else "",
                c.get_from_status_display() or "—",
                c.get_to_status_display(),
                c.changed_by or _("the platform"),
                c.reason,
            )
            for c in changes
        ),
    )
    if not rows:
        return _("No changes yet.")
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        _("When"),
        _("Person"),
        _("Change"),
        _("By"),
        _("Reason"),
        rows,
    )


def _report(modeladmin, request, changed, refused, verb):
    """One message with the count changed, one listing each refusal and why."""
    if changed:
        modeladmin.message_user(
            request,
            ngettext("%(n)d enrolment %(verb)s.", "%(n)d enrolments %(verb)s.", changed)
            % {"n": changed, "verb": verb},
            messages.SUCCESS,
        )
    if refused:
        modeladmin.message_user(
            request,
            format_html(
                "{}<ul>{}</ul>",
                ngettext("%(n)d refused:", "%(n)d refused:", len(refused)) % {"n": len(refused)},
                format_html_join("", "<li>{} – {}: {}</li>", refused),
            ),
            messages.WARNING,
        )
    if not changed and not refused:
        modeladmin.message_user(request, _("Nothing was selected."), messages.INFO)


def _apply(modeladmin, request, queryset, verb, fn):
    changed, refused = 0, []
    for enrolment in queryset.select_related("user", "offering", "programme"):
        try:
            fn(enrolment)
        except services.EnrolmentRefused as exc:
            refused.append((enrolment.user, enrolment.target, exc.message))
        else:
            changed += 1
    _report(modeladmin, request, changed, refused, verb)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, sent to the person)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("The offering as a whole"),
    )
    attended = forms.TypedChoiceField(
        label=_("Attended"),
        choices=[("yes", _("Attended")), ("no", _("Did not attend"))],
        coerce=lambda v: v == "yes",
        initial="yes",
    )

    def __init__(self, *args, offering_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(
            offering_id__in=offering_ids
        ).select_related("offering")


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


# --- enrolments ----------------------------------------------------------------------------


@admin.register(Enrolment)
class EnrolmentAdmin(AccessibleAutocompleteMixin, admin.ModelAdmin):
    list_display = [
        "user", "organisation", "target_title", "cohort", "status", "created_at", "decided_by",
    ]  # fmt: skip
    list_filter = [
        "status",
        ModeFilter,
        ("offering", admin.RelatedOnlyFieldListFilter),
        ("cohort", admin.RelatedOnlyFieldListFilter),
        ("user__organisation", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    list_select_related = ["user__organisation", "offering", "programme", "cohort", "decided_by"]
    search_fields = ["user__display_name", "user__email", "user__organisation__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["cohort", "encouraged_by"]
    fields = [
        "user", "offering", "programme", "cohort", "status", "motivation", "line_manager_name",
        "line_manager_email", "encouraged_by", "created_at", "waitlisted_at", "decided_by",
        "decided_at", "audit_trail",
    ]  # fmt: skip
    readonly_fields = [
        "user", "offering", "programme", "status", "motivation", "line_manager_name",
        "line_manager_email", "created_at", "waitlisted_at", "decided_by", "decided_at",
        "audit_trail",
    ]  # fmt: skip
    actions = [
        "confirm", "decline", "move_to_waitlist", "record_attendance", "mark_completed",
        "withdraw", "export_csv",
    ]  # fmt: skip

    def has_add_permission(self, request):
        # People enrol on the site, or are placed through a cohort's "Invite and import".
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw or decline instead: the audit trail must survive

    @admin.display(description=_("organisation"), ordering="user__organisation__name")
    def organisation(self, obj):
        return obj.user.organisation or "—"

    @admin.display(description=_("offering or programme"))
    def target_title(self, obj):
        return obj.target

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return _audit_table(obj.status_changes.select_related("enrolment__user", "changed_by"))

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_filtered_view),
                name="learning_enrolment_export",
            ),
            *super().get_urls(),
        ]

    def export_filtered_view(self, request):
        """The change list as filtered and searched, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return exports.enrolments_csv(
            changelist.get_queryset(request), filename="innolab-enrolments.csv"
        )

    @admin.action(description=_("Confirm"), permissions=["change"])
    def confirm(self, request, queryset):
        _apply(
            self, request, queryset, _("confirmed"),
            lambda e: services.enrolment_confirm(enrolment=e, by=request.user),
        )  # fmt: skip

    @admin.action(description=_("Decline (with an optional reason)"), permissions=["change"])
    def decline(self, request, queryset):
        if "apply" in request.POST:
            form = DeclineForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                _apply(
                    self, request, queryset, _("declined"),
                    lambda e: services.enrolment_decline(
                        enrolment=e, by=request.user, reason=reason
                    ),
                )  # fmt: skip
                return None
        else:
            form = DeclineForm()
        return self._intermediate(request, queryset, form, _("Decline"), "decline")

    @admin.action(description=_("Move to waitlist"), permissions=["change"])
    def move_to_waitlist(self, request, queryset):
        _apply(
            self, request, queryset, _("moved to the waitlist"),
            lambda e: services.enrolment_waitlist(enrolment=e, by=request.user),
        )  # fmt: skip

    @admin.action(description=_("Record attendance"), permissions=["change"])
    def record_attendance(self, request, queryset):
        offering_ids = set(queryset.values_list("offering_id", flat=True)) - {None}
        if "apply" in request.POST:
            form = AttendanceForm(request.POST, offering_ids=offering_ids)
            if form.is_valid():
                session, attended = form.cleaned_data["session"], form.cleaned_data["attended"]
                _apply(
                    self, request, queryset, _("had attendance recorded"),
                    lambda e: services.attendance_record(
                        enrolment=e, by=request.user, session=session, attended=attended
                    ),
                )  # fmt: skip
                return None
        else:
            form = AttendanceForm(offering_ids=offering_ids)
        return self._intermediate(
            request, queryset, form, _("Record attendance"), "record_attendance"
        )

    @admin.action(description=_("Mark completed (makes alumni)"), permissions=["change"])
    def mark_completed(self, request, queryset):
        _apply(
            self, request, queryset, _("marked completed"),
            lambda e: services.enrolment_complete(enrolment=e, by=request.user),
        )  # fmt: skip

    @admin.action(description=_("Withdraw"), permissions=["change"])
    def withdraw(self, request, queryset):
        _apply(
            self, request, queryset, _("withdrawn"),
            lambda e: services.enrolment_withdraw(
                enrolment=e, by=request.user, reason=_("Withdrawn by lab staff")
            ),
        )  # fmt: skip

    @admin.action(description=_("Export selected to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return exports.enrolments_csv(queryset, filename="innolab-enrolments.csv")

    def _intermediate(self, request, queryset, form, title, action):
        return TemplateResponse(
            request,
            "admin/learning/enrolment/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "action": action,
                "enrolments": queryset.select_related("user", "offering", "programme"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


# --- cohorts -------------------------------------------------------------------------------


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One or more per line; “Ana Silva <ana@example.gov>” is fine too."),
    )
    csv_file = forms.FileField(
        label=_("…or a CSV file"),
        required=False,
        help_text=_("Columns: email, name, organisation (UTF-8, at most 1 MB)."),
    )

    def clean(self):
        data = super().clean()
        rows = []
        if data.get("addresses"):
            rows += services.parse_invite_text(data["addresses"])
        if data.get("csv_file"):
            try:
                rows += services.parse_invite_csv(data["csv_file"])
            except ValidationError as error:
                self.add_error("csv_file", error)
        if not rows and not self.errors:
            raise ValidationError(_("Paste some e-mail addresses or choose a CSV file."))
        data["rows"] = rows
        return data


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))


@admin.register(Cohort)
class CohortAdmin(AccessibleAutocompleteMixin, admin.ModelAdmin):
    list_display = [
        "name", "target_title", "starts_on", "ends_on", "applied", "waitlisted", "confirmed",
        "completed", "left", "leads", "next_digest",
    ]  # fmt: skip
    list_select_related = ["offering", "programme"]
    list_filter = [
        ("programme", admin.RelatedOnlyFieldListFilter),
        ("offering", admin.RelatedOnlyFieldListFilter),
        ModeFilter,
        "starts_on",
        ("lead_staff", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "offering__title", "programme__title"]
    autocomplete_fields = ["offering", "programme", "lead_staff"]
    date_hierarchy = "starts_on"
    fieldsets = [
        (None, {"fields": ["name", "offering", "programme", "starts_on", "ends_on", "lead_staff"]}),
        (_("Digests"), {"fields": ["digests_on", "digest_months", "digest_status"]}),
        (None, {"fields": ["participants", "history"]}),
    ]
    readonly_fields = ["participants", "history", "digest_status"]
    actions = ["mark_completed"]

    def get_queryset(self, request):
        by_status = {
            name: Count("enrolments", filter=Q(enrolments__status__in=statuses), distinct=True)
            for name, statuses in [
                ("n_applied", [Status.APPLIED]),
                ("n_waitlisted", [Status.WAITLISTED]),
                ("n_confirmed", [Status.CONFIRMED]),
                ("n_completed", [Status.COMPLETED]),
                ("n_left", [Status.WITHDRAWN, Status.DECLINED]),
            ]
        }
        return (
            super()
            .get_queryset(request)
            .annotate(**by_status)
            .prefetch_related(Prefetch("lead_staff", queryset=User.objects.only("display_name")))
        )

    @admin.display(description=_("offering or programme"))
    def target_title(self, obj):
        return obj.target

    @admin.display(description=_("applied"), ordering="n_applied")
    def applied(self, obj):
        return obj.n_applied

    @admin.display(description=_("waitlisted"), ordering="n_waitlisted")
    def waitlisted(self, obj):
        return obj.n_waitlisted

    @admin.display(description=_("confirmed"), ordering="n_confirmed")
    def confirmed(self, obj):
        return obj.n_confirmed

    @admin.display(description=_("completed"), ordering="n_completed")
    def completed(self, obj):
        return obj.n_completed

    @admin.display(description=_("withdrew or declined"), ordering="n_left")
    def left(self, obj):
        return obj.n_left

    @admin.display(description=_("lead staff"))
    def leads(self, obj):
        return ", ".join(person.display_name for person in obj.lead_staff.all()) or "—"

    @admin.display(description=_("next digest"), ordering="digest_next_on")
    def next_digest(self, obj):
        if not obj.digests_on:
            return _("off")
        return obj.digest_next_on or "—"

    @admin.display(description=_("schedule"))
    def digest_status(self, obj):
        if obj.pk is None:
            return _("The first digest is due %(months)s months after the start.") % {
                "months": obj.digest_months
            }
        if not obj.digests_on:
            next_part = _("Digests are off for this cohort.")
        else:
            next_part = _("Next digest due on %(date)s.") % {"date": obj.digest_next_on or "—"}
        last = obj.digests.order_by("-started_at").first()
        if last is None:
            last_part = _("None sent yet.")
        elif last.empty:
            last_part = _("Last: %(date)s, nothing to say, not sent.") % {"date": last.period_end}
        else:
            last_part = _("Last: %(date)s, to %(n)s members.") % {
                "date": last.period_end,
                "n": last.members - last.opted_out,
            }
        return format_html(
            '{} {} <a href="{}">{}</a>',
            next_part,
            last_part,
            reverse("admin:learning_cohort_digest", args=[obj.pk]),
            _("Preview or send now"),
        )

    @admin.display(description=_("participants"))
    def participants(self, obj):
        if obj.pk is None:
            return "—"
        enrolments = obj.enrolments.select_related("user__organisation", "decided_by").order_by(
            "user__display_name"
        )
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:learning_enrolment_change", args=[e.pk]),
                    e.user,
                    e.user.organisation or "—",
                    e.get_status_display(),
                    e.decided_by or "—",
                    timezone.localtime(e.decided_at).strftime("%Y-%m-%d %H:%M")
                    if e.decided_at
                    else "—",
                )
                for e in enrolments
            ),
        )
        if not rows:
            return _("Nobody yet: use “Invite and import people” above.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("Person"),
            _("Organisation"),
            _("Status"),
            _("Decided by"),
            _("Decided at"),
            rows,
        )

    @admin.display(description=_("history (status changes and messages)"))
    def history(self, obj):
        if obj.pk is None:
            return "—"
        changes = (
            EnrolmentStatusChange.objects.filter(enrolment__cohort=obj)
            .select_related("enrolment__user", "changed_by")
            .order_by("-changed_at")[:200]
        )
        sent = obj.messages.select_related("sent_by").annotate(n=Count("recipients"))
        message_rows = format_html_join(
            "",
            "<li>{}: “{}” by {} to {} people</li>",
            (
                (
                    timezone.localtime(m.sent_at).strftime("%Y-%m-%d %H:%M"),
                    m.subject,
                    m.sent_by,
                    m.n,
                )
                for m in sent
            ),
        )
        return format_html(
            "{}<h3>{}</h3><ul>{}</ul>",
            _audit_table(changes),
            _("Messages"),
            message_rows or format_html("<li>{}</li>", _("No messages yet.")),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # Every cohort gets its private forum space when it is created.
            cohort_space_ensure(cohort=obj)
        # The start, the cadence or the switch may have changed: recompute the next date.
        services.digest_schedule(cohort=obj)

    @admin.action(description=_("Mark confirmed participants completed"), permissions=["change"])
    def mark_completed(self, request, queryset):
        changed, refused = 0, []
        for cohort in queryset:
            done, failed = services.cohort_complete(cohort=cohort, by=request.user)
            changed += len(done)
            refused += [(e.user, e.target, why) for e, why in failed]
        _report(self, request, changed, refused, _("marked completed"))

    def get_urls(self):
        def view(fn, name):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(fn),
                name=f"learning_cohort_{name}",
            )

        return [
            view(self.invite_view, "invite"),
            view(self.export_view, "export"),
            view(self.message_view, "message"),
            view(self.digest_view, "digest"),
            view(self.digest_html_view, "digest_html"),
            *super().get_urls(),
        ]

    def _cohort_or_deny(self, request, pk, *, change=True):
        cohort = get_object_or_404(Cohort.objects.select_related("offering", "programme"), pk=pk)
        allowed = (
            self.has_change_permission(request, cohort)
            if change
            else self.has_view_permission(request, cohort)
        )
        if not allowed:
            raise PermissionDenied
        return cohort

    def _page(self, request, cohort, template, **context):
        return TemplateResponse(
            request,
            f"admin/learning/cohort/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": cohort,
                "cohort": cohort,
                **context,
            },
        )

    def invite_view(self, request, pk):
        cohort = self._cohort_or_deny(request, pk)
        if request.method == "POST":
            form = InviteForm(request.POST, request.FILES)
            if form.is_valid():
                result = services.cohort_import(
                    cohort=cohort, rows=form.cleaned_data["rows"], by=request.user
                )
                return self._page(
                    request, cohort, "invite_result.html", title=_("Import result"), result=result
                )
        else:
            form = InviteForm()
        return self._page(
            request, cohort, "invite.html", title=_("Invite and import people"), form=form
        )

    def export_view(self, request, pk):
        cohort = self._cohort_or_deny(request, pk, change=False)
        return exports.enrolments_csv(
            cohort.enrolments.all(), filename=f"innolab-cohort-{cohort.pk}.csv"
        )

    def message_view(self, request, pk):
        cohort = self._cohort_or_deny(request, pk)
        form = MessageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                message = services.cohort_message_send(
                    cohort=cohort,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Your message is being sent to %(n)d person.",
                        "Your message is being sent to %(n)d people.",
                        message.recipients.count(),
                    )
                    % {"n": message.recipients.count()},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:learning_cohort_change", args=[cohort.pk]))
        recipients = cohort.enrolments.filter(status=Status.CONFIRMED).count()
        return self._page(
            request,
            cohort,
            "message.html",
            title=_("Message the cohort"),
            form=form,
            recipients=recipients,
        )

    def _digest_preview(self, request, cohort):
        now = timezone.now()
        last = cohort.digests.order_by("-covers_to").first()
        since = last.covers_to if last else digests.start_of_day(cohort.digest_anchor)
        content = digests.digest_content(cohort=cohort, since=since, until=now)
        subject, text, html = digests.digest_render_one(
            cohort=cohort,
            content=content,
            covers_from=since,
            covers_to=now,
            person=request.user,
        )
        return since, content, subject, text, html

    def digest_view(self, request, pk):
        """Preview of the digest as it would go out now, and "send it now"."""
        cohort = self._cohort_or_deny(request, pk, change=request.method == "POST")
        if request.method == "POST":
            try:
                digest = services.cohort_digest_send_now(cohort=cohort, by=request.user)
            except services.DigestRefused as refusal:
                self.message_user(request, refusal.message, messages.WARNING)
            else:
                n = digest.members - digest.opted_out
                self.message_user(
                    request,
                    ngettext(
                        "The digest is being sent to %(n)d member.",
                        "The digest is being sent to %(n)d members.",
                        n,
                    )
                    % {"n": n},
                    messages.SUCCESS,
                )
            return redirect(reverse("admin:learning_cohort_change", args=[cohort.pk]))
        since, content, subject, text, _html = self._digest_preview(request, cohort)
        return self._page(
            request,
            cohort,
            "digest.html",
            title=_("Digest preview"),
            since=since,
            subject=subject,
            text=text,
            empty=not content["sections"],
            **digests.member_counts(cohort),
            sent=cohort.digests.order_by("-started_at")[:20],
            can_send=self.has_change_permission(request, cohort),
        )

    def digest_html_view(self, request, pk):
        """The HTML e-mail itself, addressed to the viewer, to open in a tab."""
        cohort = self._cohort_or_deny(request, pk, change=False)
        html = self._digest_preview(request, cohort)[4]
        return HttpResponse(html)


@admin.register(CohortDigest)
class CohortDigestAdmin(admin.ModelAdmin):
    list_display = [
        "cohort", "period_end", "started_at", "started_by", "members", "opted_out", "empty",
        "finished_at",
    ]  # fmt: skip
    list_filter = ["empty", ("cohort", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["cohort", "started_by"]
    search_fields = ["cohort__name"]
    date_hierarchy = "started_at"
    exclude = ["content"]

    def has_add_permission(self, request):
        return False  # started by the schedule or "send now" on the cohort

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
