"""Enrolments in the admin: lab staff decide applications, record attendance and
completion, withdraw, and export; every action calls learning.services."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.accounts.admin import AccessibleAutocompleteMixin, report_outcome
from learning import exports, services
from learning.admin.catalogue import ModeFilter
from learning.forms import AttendanceForm, DeclineForm
from learning.models import Enrolment


def audit_table(changes):
    """The audit trail of status changes as a table (the enrolment and cohort pages)."""
    return render_to_string("admin/learning/_audit_table.html", {"changes": list(changes)})


def apply_to_each(modeladmin, request, queryset, verb, fn):
    """Runs `fn` (a service call) on each enrolment; one message with the count, one with
    each refusal and its reason."""
    done, refused = 0, []
    for enrolment in queryset.select_related("user", "offering", "programme"):
        try:
            fn(enrolment)
        except services.EnrolmentRefused as exc:
            refused.append((f"{enrolment.user} – {enrolment.target}", exc.message))
        else:
            done += 1
    report_outcome(
        modeladmin,
        request,
        done=done,
        refused=refused,
        done_message=lambda n: (
            ngettext("%(n)d enrolment %(verb)s.", "%(n)d enrolments %(verb)s.", n)
            % {"n": n, "verb": verb}
        ),
    )


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
        return audit_table(obj.status_changes.select_related("enrolment__user", "changed_by"))

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
        apply_to_each(
            self, request, queryset, _("confirmed"),
            lambda e: services.enrolment_confirm(enrolment=e, by=request.user),
        )  # fmt: skip

    @admin.action(description=_("Decline (with an optional reason)"), permissions=["change"])
    def decline(self, request, queryset):
        if "apply" in request.POST:
            form = DeclineForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                apply_to_each(
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
        apply_to_each(
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
                apply_to_each(
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
        apply_to_each(
            self, request, queryset, _("marked completed"),
            lambda e: services.enrolment_complete(enrolment=e, by=request.user),
        )  # fmt: skip

    @admin.action(description=_("Withdraw"), permissions=["change"])
    def withdraw(self, request, queryset):
        apply_to_each(
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
