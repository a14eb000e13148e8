"""Forums: spaces, topics and posts, following, notifications and search."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors, services
from community.accounts.forms import add_errors
from community.accounts.paging import paginate
from community.accounts.tags import attach_tags
from community.forms import FlagForm, PostForm, TopicForm
from community.models import Topic

TOPICS_PER_PAGE = 20
POSTS_PER_PAGE = 30
EXPERIENCE_PARTS = ("context", "tried", "worked", "failed", "lessons")


@login_required
def forum_index(request):
    return render(
        request, "community/forums.html", {"spaces": selectors.space_list(user=request.user)}
    )


def _space_or_404(request, slug):
    space = selectors.space_get(slug=slug, user=request.user)
    if space is None:
        raise Http404(_("No such space, or it is private."))
    return space


@login_required
def space_detail(request, slug):
    return render(request, "community/space.html", _space_context(request, slug))


def _space_context(request, slug):
    space = _space_or_404(request, slug)
    kind, tag = request.GET.get("kind") or None, request.GET.get("tag") or None
    best = request.GET.get("view") == "best"
    topics = selectors.topic_list(space=space, user=request.user, kind=kind, tag=tag, best=best)
    page, query = paginate(request, topics, TOPICS_PER_PAGE)
    attach_tags(page)
    return {"space": space, "page": page, "query": query, "kind": kind, "best": best,
            "kinds": Topic.Kind.choices,
            "following": selectors.is_following(user=request.user, space=space)}  # fmt: skip


@login_required
def topic_new(request, slug):
    space = _space_or_404(request, slug)
    initial = {"kind": request.GET.get("kind", Topic.Kind.DISCUSSION)}
    form = TopicForm(request.POST or None, initial=initial)
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
            add_errors(form, error)
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
        quoted = selectors.post_in_topic(topic=topic, pk=request.POST.get("quoted"))
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
    topic = _topic_or_404(request, pk)
    response = render(request, "community/topic.html", _topic_context(request, topic, PostForm()))
    # Shown: the person has read the topic as it is now (a write only when it changed).
    services.topic_mark_read(topic_id=topic.pk, user=request.user)
    return response


def _topic_context(request, topic, form):
    posts = selectors.topic_posts(topic=topic, reader=request.user)
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    quote = selectors.post_in_topic(topic=topic, pk=request.GET.get("quote"))
    if quote and not form.is_bound:
        form = PostForm(initial={"body": "> " + quote.body.replace("\n", "\n> ") + "\n\n"})
    moderator = request.user.is_lab_staff
    return {"topic": topic, "page": page, "form": form, "quote": quote,
            "is_moderator": moderator,
            "following": selectors.is_following(user=request.user, topic=topic),
            "spaces": selectors.space_list(user=request.user) if moderator else []}  # fmt: skip


def _post_or_404(request, pk):
    post = selectors.post_get(pk=pk, user=request.user)
    if post is None:
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
        added = services.reaction_add(post=post, user=request.user)
    except services.PostRefused as refused:
        messages.error(request, refused.message)
    else:
        if added:
            messages.success(request, _("Thank you: you marked this post helpful."))
        else:
            messages.info(request, _("You had already marked this post helpful."))
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
    space = _space_or_404(request, slug)
    following = services.follow_toggle(user=request.user, space=space)
    messages.success(
        request, _("You follow this space.") if following else _("You no longer follow it.")
    )
    return redirect(space)


@login_required
def notifications(request):
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        messages.success(request, _("All marked as read."))
        return redirect("community:notifications")
    items = selectors.notifications_for(user=request.user)
    return render(request, "community/notifications.html", {"items": items})


@login_required
def forum_search(request):
    q = request.GET.get("q", "")
    return render(
        request,
        "community/search.html",
        {"q": q, "results": selectors.forum_search(user=request.user, q=q)},
    )
