"""The cohort page in the admin: participants, invitations and import, messages, and the
cohort's digests. A cohort's forum space and digests live in the community, so its page
is registered here (its URLs keep the learning app's names)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community import digests, services
from community.accounts.admin import AccessibleAutocompleteMixin, report_outcome
from community.accounts.models import User
from learning import exports
from learning import policy as learning_policy
from learning import services as learning_services
from learning.admin.catalogue import ModeFilter
from learning.admin.enrolments import audit_table
from learning.admin.outcomes import OutcomesPanelMixin
from learning.forms import InviteForm, MessageForm
from learning.models import Cohort, CohortDigest, Enrolment, EnrolmentStatusChange

Status = Enrolment.Status


@admin.register(Cohort)
class CohortAdmin(OutcomesPanelMixin, AccessibleAutocompleteMixin, admin.ModelAdmin):
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
        (_("Learning outcomes"), {"fields": ["outcomes"]}),
    ]
    readonly_fields = ["participants", "history", "digest_status", "outcomes"]
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

    def outcome_enrolments(self, obj):
        return obj.enrolments.all()

    @admin.display(description=_("participants"))
    def participants(self, obj):
        if obj.pk is None:
            return "—"
        enrolments = obj.enrolments.select_related("user__organisation", "decided_by").order_by(
            "user__display_name"
        )
        return render_to_string(
            "admin/learning/cohort/_participants.html", {"enrolments": list(enrolments)}
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
        return render_to_string(
            "admin/learning/cohort/_history.html",
            {"audit_table": audit_table(changes), "sent": list(sent)},
        )

    def save_model(self, request, obj, form, change):
        # A new cohort gets its private forum space; the next digest date follows the
        # start, the cadence or the switch. (Lead staff are saved with the form's m2m.)
        if change:
            services.cohort_update(cohort=obj)
        else:
            services.cohort_create(cohort=obj)

    @admin.action(description=_("Mark confirmed participants completed"), permissions=["change"])
    def mark_completed(self, request, queryset):
        done, refused = 0, []
        for cohort in queryset:
            completed, failed = learning_services.cohort_complete(cohort=cohort, by=request.user)
            done += len(completed)
            refused += [(f"{e.user} – {e.target}", why) for e, why in failed]
        report_outcome(
            self,
            request,
            done=done,
            refused=refused,
            done_message=lambda n: (
                ngettext(
                    "%(n)d enrolment marked completed.", "%(n)d enrolments marked completed.", n
                )
                % {"n": n}
            ),
        )

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
                result = learning_services.cohort_import(
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
                message = learning_services.cohort_message_send(
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
        recipients = learning_policy.member_ids(cohort=cohort).count()
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
