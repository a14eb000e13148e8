import json
from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community import preferences, selectors, services
from community.calendar import meeting_ics
from community.decorators import lab_staff_required
from community.forms import (
    ActivityForm,
    AdviceRequestForm,
    DeleteAccountForm,
    DirectoryForm,
    EmailPreferencesForm,
    FlagForm,
    ModerationForm,
    NominationForm,
    PostForm,
    ProfileForm,
    ReplyForm,
    RsvpForm,
    TopicForm,
)
from community.models import Post, Rsvp, SpreadActivity, Topic, User
from community.services.meetings import waitlist_position as meeting_waitlist_position
from innolab import pagecache

PAGE_SIZE = 24


@login_required
def profile_edit(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user = services.profile_update(user=request.user, form=form)
            translation.activate(user.preferred_language)
            messages.success(request, _("Your profile has been saved."))
            response = redirect("community:profile-edit")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax"
            )
            return response
        messages.error(request, _("Please correct the errors below."))
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "community/profile_edit.html", {"form": form})


# What the community pages show (see innolab.pagecache). Alumni status and cohort
# spaces come from learning.
PEOPLE_SHOW = ("people", "learning")
FORUM_SHOWS = ("forum", "people", "learning")
SPACES_SHOW = (*FORUM_SHOWS, "reads:me")  # and the person's "New" badges
MEETINGS_SHOW = ("meetings", "people", "learning")


def index(request):
    return pagecache.render(
        request, "community/index.html", lambda: {"reach": selectors.reach()},
        depends=PEOPLE_SHOW,
    )  # fmt: skip


@login_required
def directory(request):
    return pagecache.render(
        request, "community/directory.html", lambda: _directory_context(request),
        depends=PEOPLE_SHOW,
    )  # fmt: skip


def _directory_context(request):
    form = DirectoryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.directory(viewer=request.user, filters=filters)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(filters)}


@login_required
def person(request, handle):
    profile = selectors.person_get(handle=handle, viewer=request.user)
    if profile is None:
        raise Http404(_("No such profile, or it is not shared with you."))
    agent = getattr(profile, "change_agent", None)
    return render(
        request,
        "community/person.html",
        {
            "person": profile,
            "agent": agent if agent and agent.is_active else None,
            "activities": selectors.spread_log(agent)[:20] if agent and agent.is_active else [],
            "is_me": profile.pk == request.user.pk,
        },
    )


@login_required
def advice_new(request, handle):
    recipient = selectors.person_get(handle=handle, viewer=request.user)
    if recipient is None:
        raise Http404(_("No such profile, or it is not shared with you."))
    form = AdviceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            advice = services.advice_request_create(
                requester=request.user,
                recipient=recipient,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
            )
        except services.AdviceRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Your request is on its way to %(name)s. You will be e-mailed when they answer.")
                % {"name": recipient},
            )
            return redirect("community:advice-detail", pk=advice.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "community/advice_new.html", {"recipient": recipient, "form": form}, status=status
    )


@login_required
def advice_list(request):
    received, sent = selectors.advice_for(user=request.user)
    return render(request, "community/advice_list.html", {"received": received, "sent": sent})


def _advice_or_404(request, pk):
    advice = selectors.advice_get(pk=pk, user=request.user)
    if advice is None:
        raise Http404(_("No such conversation."))
    return advice


@login_required
def advice_detail(request, pk):
    advice = _advice_or_404(request, pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_reply(
                request=advice, author=request.user, body=form.cleaned_data["body"]
            )
        except services.AdviceRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your reply has been sent."))
        return redirect("community:advice-detail", pk=advice.pk)
    return render(request, "community/advice_detail.html", {"advice": advice, "form": form})


@require_POST
@login_required
def advice_close(request, pk):
    advice = _advice_or_404(request, pk)
    decline = request.POST.get("decline") == "1"
    try:
        services.advice_close(request=advice, by=request.user, decline=decline)
    except (services.AdviceRefused, PermissionDenied) as refused:
        messages.error(request, getattr(refused, "message", str(refused)))
    else:
        messages.success(request, _("Request declined.") if decline else _("Conversation closed."))
    return redirect("community:advice-detail", pk=advice.pk)


@login_required
def change_agent(request):
    """A member's change-agent page: nominate themselves, or keep their spread log."""
    agent = selectors.change_agent_of(request.user)
    if agent is not None and agent.is_active:
        form = ActivityForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and _save_activity(agent, request, form):
            messages.success(request, _("Activity added to your spread log."))
            return redirect("community:spread-log")
        return render(
            request,
            "community/spread_log.html",
            {"agent": agent, "activities": selectors.spread_log(agent), "form": form},
            status=400 if request.method == "POST" else 200,
        )
    form = NominationForm(
        request.POST or None,
        initial={"home_agency": request.user.organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_agent_nominate(
                user=request.user,
                home_agency=form.cleaned_data["home_agency"],
                commitment=form.cleaned_data["commitment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: lab staff will look at your nomination."))
            return redirect("community:spread-log")
    return render(request, "community/nominate.html", {"agent": agent, "form": form})


@login_required
def activity_edit(request, pk):
    agent = selectors.change_agent_of(request.user)
    activity = get_object_or_404(SpreadActivity, pk=pk)
    if agent is None or activity.change_agent_id != agent.pk:
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_activity(agent, request, form, activity)
    ):
        messages.success(request, _("Activity updated."))
        return redirect("community:spread-log")
    return render(request, "community/activity_edit.html", {"form": form, "activity": activity})


def _save_activity(agent, request, form, activity=None):
    """Saves through the service; its refusals become form errors. True when saved."""
    try:
        services.spread_activity_save(
            agent=agent, by=request.user, data=form.cleaned_data, activity=activity
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


def reach(request):
    return render(request, "community/reach.html", {"reach": selectors.reach(viewer=request.user)})


@login_required
def my_data(request):
    return render(request, "community/my_data.html", {"form": DeleteAccountForm(user=request.user)})


@login_required
def my_data_export(request):
    data = services.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="innolab-my-data-{stamp}.json"'
    return response


@require_POST
@login_required
def my_data_delete(request):
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Your account was not deleted: see below."))
        return render(request, "community/my_data.html", {"form": form}, status=400)
    services.account_delete(user=request.user)
    logout(request)
    messages.success(request, _("Your account has been deleted. Thank you for taking part."))
    return redirect("home")


# --- sharing meetings ---------------------------------------------------------------------------


@login_required
def meeting_list(request):
    return pagecache.render(
        request, "community/meeting_list.html", lambda: _meeting_list_context(request),
        depends=MEETINGS_SHOW,
    )  # fmt: skip


def _meeting_list_context(request):
    upcoming, past = selectors.meeting_list(user=request.user)
    feed_url = (
        request.build_absolute_uri(
            reverse("community:calendar-feed", args=[request.user.calendar_token])
        )
        if request.user.calendar_token
        else None
    )
    return {"upcoming": upcoming, "past": past, "feed_url": feed_url}


def _meeting_or_404(request, pk):
    meeting = selectors.meeting_get(pk=pk, user=request.user)
    if meeting is None:
        raise Http404(_("No such meeting, or you are not invited."))
    return meeting


@login_required
def meeting_detail(request, pk):
    meeting = _meeting_or_404(request, pk)
    own = Rsvp.objects.filter(meeting=meeting, user=request.user).first()
    form = RsvpForm(request.POST or None, initial={"answer": own.answer} if own else None)
    if request.method == "POST" and form.is_valid():
        try:
            rsvp = services.meeting_rsvp(
                meeting=meeting, user=request.user, answer=form.cleaned_data["answer"]
            )
        except services.RsvpRefused as refused:
            messages.error(request, refused.message)
        else:
            if rsvp.waitlisted:
                messages.success(
                    request,
                    _(
                        "The meeting is full: you are on the waitlist and will be told if a "
                        "place frees up."
                    ),
                )
            else:
                messages.success(request, _("Thank you, your answer is saved."))
        return redirect(meeting)
    invited = services.is_invited(meeting, request.user)
    return render(
        request,
        "community/meeting_detail.html",
        {
            "meeting": meeting,
            "own": own,
            "position": meeting_waitlist_position(own) if own else None,
            "form": form,
            "invited": invited,
            "can_answer": invited
            and meeting.status == "scheduled"
            and meeting.starts_at > timezone.now(),
            "going": selectors.meeting_people_going(meeting=meeting, viewer=request.user),
            "google_url": _google_calendar_url(meeting),
        },
    )


def _google_calendar_url(meeting):
    from urllib.parse import urlencode

    fmt = "%Y%m%dT%H%M%SZ"
    start = meeting.starts_at.astimezone(UTC).strftime(fmt)
    end = meeting.ends_at.astimezone(UTC).strftime(fmt)
    return "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": meeting.title,
            "dates": f"{start}/{end}",
            "details": settings.SITE_URL + meeting.get_absolute_url(),
            "location": meeting.venue,
        }
    )


@login_required
def meeting_calendar(request, pk):
    meeting = _meeting_or_404(request, pk)
    own = Rsvp.objects.filter(meeting=meeting, user=request.user).first()
    body = meeting_ics([meeting], going=bool(own and own.is_going))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def calendar_feed(request, token):
    """The personal feed calendar apps subscribe to: no login, the secret token is the key."""
    person = User.objects.filter(calendar_token=token, is_active=True).first()
    if person is None or not token:
        raise Http404(_("Unknown or revoked calendar address."))
    meetings = selectors.calendar_feed_meetings(user=person)
    response = HttpResponse(
        meeting_ics(meetings, going=True, name="innolab: my meetings"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
@login_required
def calendar_feed_reset(request):
    services.calendar_token_reset(user=request.user)
    messages.success(
        request, _("Your calendar address is ready. Any earlier address no longer works.")
    )
    return redirect("community:meeting-list")


@require_POST
@login_required
def calendar_feed_revoke(request):
    services.calendar_token_revoke(user=request.user)
    messages.success(request, _("Your calendar address has been turned off."))
    return redirect("community:meeting-list")


# --- forums -------------------------------------------------------------------------------

TOPICS_PER_PAGE = 20
EXPERIENCE_PARTS = ("context", "tried", "worked", "failed", "lessons")
POSTS_PER_PAGE = 30


@login_required
def forum_index(request):
    return pagecache.render(
        request, "community/forums.html",
        lambda: {"spaces": selectors.space_list(user=request.user)},
        depends=SPACES_SHOW,
    )  # fmt: skip


@login_required
def space_detail(request, slug):
    return pagecache.render(
        request, "community/space.html", lambda: _space_context(request, slug),
        depends=SPACES_SHOW,
    )  # fmt: skip


def _space_context(request, slug):
    space = selectors.space_get(slug=slug, user=request.user)
    if space is None:
        raise Http404(_("No such space, or it is private."))
    kind, tag = request.GET.get("kind") or None, request.GET.get("tag") or None
    best = request.GET.get("view") == "best"
    topics = selectors.topic_list(space=space, user=request.user, kind=kind, tag=tag, best=best)
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"space": space, "page": page, "query": query.urlencode(), "kind": kind, "best": best,
            "kinds": Topic.Kind.choices,
            "following": space.follows.filter(user=request.user).exists()}  # fmt: skip


@login_required
def topic_new(request, slug):
    space = selectors.space_get(slug=slug, user=request.user)
    if space is None:
        raise Http404(_("No such space, or it is private."))
    form = TopicForm(request.POST or None, initial={"kind": request.GET.get("kind", "discussion")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.topic_create(
                space=space, author=request.user, title=data["title"], kind=data["kind"],
                body=data["body"], tags=data["tags"],
                experience={k: data[k] for k in EXPERIENCE_PARTS}
                | {"related_offering": data["related_offering"],
                   "related_toolkit": data["related_toolkit"]},
            )  # fmt: skip
        except services.PostRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your topic is published."))
            return redirect(topic)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "community/topic_new.html", {"space": space, "form": form}, status=status
    )


def _topic_or_404(request, pk):
    topic = selectors.topic_get(pk=pk, user=request.user)
    if topic is None:
        raise Http404(_("No such topic, or it is private."))
    return topic


@login_required
def topic_detail(request, pk):
    if request.method != "POST":
        return _topic_page(request, pk)
    topic = _topic_or_404(request, pk)
    form = PostForm(request.POST)
    if form.is_valid():
        quoted = Post.objects.filter(topic=topic, pk=request.POST.get("quoted") or 0).first()
        try:
            post = services.post_reply(
                topic=topic, author=request.user, body=form.cleaned_data["body"], quoted=quoted
            )
        except services.PostRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your reply is posted."))
            last = Paginator(selectors.topic_posts(topic=topic), POSTS_PER_PAGE).num_pages
            return redirect(f"{topic.get_absolute_url()}?page={last}#post-{post.pk}")
    services.topic_mark_read(topic_id=topic.pk, user=request.user)
    return render(request, "community/topic.html", _topic_context(request, topic, form))


def _topic_page(request, pk):
    response = pagecache.render(
        request, "community/topic.html",
        lambda: _topic_context(request, _topic_or_404(request, pk), PostForm()),
        depends=FORUM_SHOWS,
    )  # fmt: skip
    # Reached only when the page was shown: the checks above raise Http404 otherwise, and
    # a page comes from the cache only for the person it was rendered for. A page from the
    # cache means nothing was posted since this person's last view marked it read.
    if not response.from_page_cache:
        services.topic_mark_read(topic_id=pk, user=request.user)
    return response


def _topic_context(request, topic, form):
    page = Paginator(selectors.topic_posts(topic=topic), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    quote = Post.objects.filter(topic=topic, pk=request.GET.get("quote") or 0).first()
    if quote and not form.is_bound:
        form = PostForm(initial={"body": "> " + quote.body.replace("\n", "\n> ") + "\n\n"})
    return {"topic": topic, "page": page, "form": form, "quote": quote,
            "is_moderator": request.user.is_lab_staff,
            "following": topic.follows.filter(user=request.user).exists(),
            "spaces": selectors.space_list(user=request.user) if request.user.is_lab_staff
            else []}  # fmt: skip


def _post_or_404(request, pk):
    post = Post.objects.select_related("topic").filter(pk=pk).first()
    if post is None or selectors.topic_get(pk=post.topic_id, user=request.user) is None:
        raise Http404(_("No such post."))
    return post


@login_required
def post_edit(request, pk):
    post = _post_or_404(request, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, by=request.user, body=form.cleaned_data["body"])
        except services.PostRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your post is updated."))
        return redirect(post.get_absolute_url())
    return render(request, "community/post_edit.html", {"post": post, "form": form})


@require_POST
@login_required
def post_delete(request, pk):
    post = _post_or_404(request, pk)
    services.post_delete(post=post, by=request.user)
    messages.success(request, _("Your post is removed."))
    return redirect(post.topic.get_absolute_url())


@require_POST
@login_required
def post_helpful(request, pk):
    post = _post_or_404(request, pk)
    try:
        services.reaction_add(post=post, user=request.user)
    except services.PostRefused as refused:
        messages.error(request, refused.message)
    return redirect(post.get_absolute_url())


@require_POST
@login_required
def post_accept(request, pk):
    post = _post_or_404(request, pk)
    try:
        services.answer_accept(topic=post.topic, post=post, by=request.user)
    except services.PostRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Answer accepted."))
    return redirect(post.get_absolute_url())


@login_required
def post_flag(request, pk):
    post = _post_or_404(request, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_create(post=post, reporter=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you: lab staff will look at it."))
        return redirect(post.get_absolute_url())
    return render(request, "community/post_flag.html", {"post": post, "form": form})


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
    post = get_object_or_404(Post.objects.select_related("topic", "author"), pk=pk)
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
    from community.models import Space

    topic = get_object_or_404(Topic, pk=pk)
    space = Space.objects.filter(pk=request.POST.get("space") or 0).first()
    try:
        services.topic_moderate(
            topic=topic, by=request.user, action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""), space=space,
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    return redirect(topic)


@require_POST
@login_required
def follow_topic(request, pk):
    topic = _topic_or_404(request, pk)
    following = services.follow_toggle(user=request.user, topic=topic)
    messages.success(
        request, _("You follow this topic.") if following else _("You no longer follow it.")
    )
    return redirect(topic)


@require_POST
@login_required
def follow_space(request, slug):
    space = selectors.space_get(slug=slug, user=request.user)
    if space is None:
        raise Http404(_("No such space, or it is private."))
    following = services.follow_toggle(user=request.user, space=space)
    messages.success(
        request, _("You follow this space.") if following else _("You no longer follow it.")
    )
    return redirect(space)


@login_required
def notifications(request):
    items = request.user.notifications.select_related("post__topic", "post__author").order_by(
        "-created_at"
    )[:100]
    items = list(items)
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        messages.success(request, _("All marked as read."))
        return redirect("community:notifications")
    return render(request, "community/notifications.html", {"items": items})


@login_required
def forum_search(request):
    q = request.GET.get("q", "")
    return pagecache.render(
        request, "community/search.html",
        lambda: {"q": q, "results": selectors.forum_search(user=request.user, q=q)},
        depends=FORUM_SHOWS,
    )  # fmt: skip


# --- e-mail preferences and unsubscribing ----------------------------------------------------


@login_required
def email_preferences(request):
    form = EmailPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_update(user=request.user, form=form)
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("community:email-preferences")
    return render(
        request,
        "community/email_preferences.html",
        {"form": form, "essential": preferences.ESSENTIAL},
    )


@csrf_exempt  # RFC 8058 one-click POSTs carry no CSRF token; the signed token is the key
def unsubscribe(request, token):
    found = preferences.read_unsubscribe_token(token)
    person = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if person is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=404)
    name = found[1]
    label = preferences.PREFERENCES[name][0]
    if request.method == "POST":
        services.email_preference_off(user=person, name=name)
        return render(request, "community/unsubscribe.html", {"done": True, "label": label})
    # A GET only asks: mail scanners follow links, and must not unsubscribe anyone.
    return render(request, "community/unsubscribe.html", {"label": label, "token": token})
