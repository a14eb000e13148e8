"""Lab staff publish toolkits here; uploads and moderation go through toolkits.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.accounts.admin import AccessibleAutocompleteMixin
from community.accounts.forms import add_errors
from toolkits import services
from toolkits.models import MethodCard, Toolkit, ToolkitFile, ToolkitUse


class MethodCardInline(admin.StackedInline):
    model = MethodCard
    extra = 0
    fields = [
        "position", "title", "purpose", "when_to_use", "steps", "time_needed", "group_size",
        "materials",
    ]  # fmt: skip


class UploadForm(forms.Form):
    upload = forms.FileField(label=_("File"))
    version_label = forms.CharField(label=_("Version"), max_length=50)
    change_note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Toolkit)
class ToolkitAdmin(AccessibleAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "host_lab", "licence", "status", "downloads", "created_at"]
    list_filter = ["status", "licence", "host_lab"]
    list_select_related = ["host_lab"]
    search_fields = ["title", "summary", "tested_with"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_lab", "related_offerings"]
    date_hierarchy = "created_at"
    inlines = [MethodCardInline]
    fields = [
        "title", "slug", "status", "summary", "approach", "tested_with", "audience", "licence",
        "tags", "capabilities", "host_lab", "related_offerings", "file_versions",
    ]  # fmt: skip
    readonly_fields = ["file_versions"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_download_total()

    @admin.display(description=_("downloads"), ordering="downloads")
    def downloads(self, obj):
        return obj.downloads

    @admin.display(description=_("files (newest first)"))
    def file_versions(self, obj):
        if obj.pk is None:
            return _("Save the toolkit first, then upload its file.")
        versions = obj.files.annotate(n=Sum("daily__count")).order_by("-uploaded_at", "-pk")
        return render_to_string(
            "admin/toolkits/toolkit/_versions.html", {"toolkit": obj, "versions": list(versions)}
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/upload/",
                self.admin_site.admin_view(self.upload_view),
                name="toolkits_toolkit_upload",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request, pk):
        toolkit = get_object_or_404(Toolkit, pk=pk)
        if not self.has_change_permission(request, toolkit):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                version = services.toolkit_file_add(
                    toolkit=toolkit,
                    uploaded=form.cleaned_data["upload"],
                    version_label=form.cleaned_data["version_label"],
                    change_note=form.cleaned_data["change_note"],
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error, default_field="upload")
            else:
                self.message_user(
                    request,
                    _("Version %(v)s uploaded (SHA-256 %(h)s).")
                    % {"v": version.version_label, "h": version.sha256[:12] + "…"},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:toolkits_toolkit_change", args=[toolkit.pk]))
        return TemplateResponse(
            request,
            "admin/toolkits/toolkit/upload.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": toolkit,
                "toolkit": toolkit,
                "form": form,
                "title": _("Upload a new version"),
            },
        )


@admin.register(ToolkitUse)
class ToolkitUseAdmin(admin.ModelAdmin):
    list_display = ["toolkit", "user", "context", "created_at", "hidden"]
    list_filter = ["hidden", ("toolkit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["toolkit", "user"]
    search_fields = ["story", "context", "user__display_name"]
    date_hierarchy = "created_at"
    readonly_fields = ["toolkit", "user", "context", "story", "created_at", "hidden", "hidden_by"]
    actions = ["hide", "show"]

    def has_add_permission(self, request):
        return False  # stories are told by the people who used the toolkit

    def _moderate(self, request, queryset, hidden):
        for use in queryset:
            services.toolkit_use_moderate(use=use, hidden=hidden, by=request.user)
        n = queryset.count()
        self.message_user(
            request,
            (
                ngettext("%(n)d story hidden.", "%(n)d stories hidden.", n)
                if hidden
                else ngettext("%(n)d story shown again.", "%(n)d stories shown again.", n)
            )
            % {"n": n},
            messages.SUCCESS,
        )

    @admin.action(description=_("Hide from the toolkit page"), permissions=["change"])
    def hide(self, request, queryset):
        self._moderate(request, queryset, True)

    @admin.action(description=_("Show again"), permissions=["change"])
    def show(self, request, queryset):
        self._moderate(request, queryset, False)


@admin.register(ToolkitFile)
class ToolkitFileAdmin(admin.ModelAdmin):
    list_display = ["toolkit", "version_label", "original_name", "size", "uploaded_at"]
    list_select_related = ["toolkit"]
    search_fields = ["toolkit__title", "original_name", "sha256"]
    readonly_fields = [
        "toolkit", "file", "original_name", "version_label", "change_note", "content_type",
        "size", "sha256", "uploaded_by", "uploaded_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False  # uploads go through the toolkit's "Upload a new version" page
