from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.accounts.paging import known_params, paginate
from community.accounts.tags import attach_tags
from innolab import fragments, storage
from learning import visitors
from toolkits import selectors, services
from toolkits.forms import ToolkitFilterForm, UseForm
from toolkits.models import ToolkitFile

PAGE_SIZE = 20


def toolkit_list(request):
    asked = visitors.params(request, ToolkitFilterForm, free_text=("q", "audience"))
    if asked is None or request.GET.get("sort") == "popular":  # ordered by downloads: live
        return render(request, "toolkits/toolkit_list.html", _list_context(request))
    return visitors.page(
        request,
        "toolkit-list",
        asked,
        lambda: (
            _("Toolkits"),
            "toolkits/_list_body.html",
            _list_context(request) | {"live_downloads": True},
        ),
        clock=None,  # nothing on the list changes by the clock alone
        fill=_downloads,
    )


def _downloads(body):
    """The downloads of the toolkits in a kept list (its slots), as they are now."""
    totals = selectors.download_totals(fragments.slot_keys(body, "downloads"))
    return {"downloads": {str(pk): n for pk, n in totals.items()}}


def _list_context(request):
    params = known_params(request.GET, ToolkitFilterForm.base_fields)
    form = ToolkitFilterForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page, query = paginate(
        request, selectors.toolkit_list(filters=filters), PAGE_SIZE, params=params
    )
    attach_tags(page)
    return {"form": form, "page": page, "query": query, "filtered": bool(filters)}


def _toolkit_or_404(request, slug):
    toolkit = selectors.toolkit_get(slug=slug, user=request.user)
    if toolkit is None:
        raise Http404(_("No such toolkit."))
    return toolkit


def _detail(request, toolkit, *, form=None, status=200):
    return render(
        request, "toolkits/toolkit_detail.html", _detail_context(request, toolkit, form=form),
        status=status,
    )  # fmt: skip


def _detail_context(request, toolkit, *, form=None):
    own = selectors.use_by(toolkit=toolkit, user=request.user)
    if form is None:
        form = UseForm(initial={"context": own.context, "story": own.story} if own else None)
    return {
        "toolkit": toolkit,
        "latest": toolkit.versions[0] if toolkit.versions else None,
        "stories": selectors.stories(toolkit=toolkit, viewer=request.user),
        "own_use": own,
        "form": form,
    }


def toolkit_detail(request, slug):
    if request.user.is_authenticated:
        return _detail(request, _toolkit_or_404(request, slug))
    return visitors.page(
        request, "toolkit", [slug], lambda: _visitor_detail(request, slug), clock=None
    )


def _visitor_detail(request, slug):
    toolkit = _toolkit_or_404(request, slug)
    return toolkit.title, "toolkits/_detail_body.html", _detail_context(request, toolkit)


def _serve(request, file):
    """Counts the download, then streams the file (never read whole into memory), or,
    when the operator opted in (STORAGE_S3_PRESIGNED_SECONDS), redirects to a short-lived
    presigned address of the bucket's object with the same name and type."""
    services.download_record(file=file, user=request.user)
    url = storage.presigned_url(
        file.file, filename=file.original_name, content_type=file.content_type
    )
    if url:
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    response = FileResponse(
        storage.open_stream(file.file),
        as_attachment=True,
        filename=file.original_name,
        content_type=file.content_type,
    )
    response.block_size = 64 * 1024
    response["Content-Length"] = file.size
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


def download_latest(request, slug):
    toolkit = _toolkit_or_404(request, slug)
    if not toolkit.versions:
        raise Http404(_("This toolkit has no file to download yet."))
    return _serve(request, toolkit.versions[0])


def download_version(request, slug, pk):
    toolkit = _toolkit_or_404(request, slug)
    file = ToolkitFile.objects.filter(toolkit=toolkit, pk=pk).select_related("toolkit").first()
    if file is None:
        raise Http404(_("No such version."))
    return _serve(request, file)


@require_POST
@login_required
def toolkit_used(request, slug):
    toolkit = _toolkit_or_404(request, slug)
    form = UseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _detail(request, toolkit, form=form, status=400)
    try:
        services.toolkit_use_record(
            toolkit=toolkit,
            user=request.user,
            context=form.cleaned_data["context"],
            story=form.cleaned_data["story"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Thank you: your story is on the page and counts in your learning cycle.")
        )
    return redirect(toolkit)
