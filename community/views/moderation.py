"""Moderation: the queue of flagged posts and the moderators' actions (lab staff only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors, services
from community.accounts.decorators import lab_staff_required
from community.forms import ModerationForm


@lab_staff_required
def moderation_queue(request):
    return render(
        request,
        "community/moderation.html",
        {"posts": selectors.moderation_queue()[:100], "form": ModerationForm()},
    )


@require_POST
@lab_staff_required
def moderate_post(request, pk, action):
    post = selectors.post_for_moderation(pk=pk)
    if post is None:
        raise Http404(_("No such post."))
    form = ModerationForm(request.POST)
    reason = form.data.get("reason", "").strip()
    if action == "hide":
        if not reason:
            messages.error(request, _("Give a reason: it is recorded and sent to the author."))
            return redirect("community:moderation")
        services.post_hide(post=post, by=request.user, reason=reason)
        messages.success(request, _("Post hidden; its author has been told."))
    elif action == "restore":
        services.post_restore(post=post, by=request.user, reason=reason)
        messages.success(request, _("Post restored."))
    elif action == "dismiss":
        services.flags_dismiss(post=post, by=request.user, reason=reason)
        messages.success(request, _("Flags dismissed."))
    else:
        raise Http404
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("community:moderation")
    return redirect(target or "community:moderation")


@require_POST
@lab_staff_required
def moderate_topic(request, pk):
    topic = selectors.topic_for_moderation(pk=pk)
    if topic is None:
        raise Http404(_("No such topic."))
    try:
        services.topic_moderate(
            topic=topic, by=request.user, action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            space=selectors.space_by_id(request.POST.get("space")),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    return redirect(topic)
