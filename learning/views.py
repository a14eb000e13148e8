from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.accounts.adapters import continue_after_login
from community.accounts.decorators import lab_staff_required
from community.accounts.forms import add_errors
from community.accounts.paging import known_params, paginate
from community.accounts.tags import attach_tags
from learning import calendar, exports, policy, registry, selectors, services, visitors
from learning.forms import CatalogueForm, EnrolmentForm, FeedbackForm, FollowUpForm, RatingsForm
from learning.models import MODE_EXPLANATIONS, Enrolment, Mode, Moment, Offering, UsedAtWork
from learning.selectors import outcomes as outcome_selectors

PAGE_SIZE = 20


def catalogue(request):
    asked = visitors.params(request, CatalogueForm)
    if asked is None:
        return render(request, "learning/catalogue.html", _catalogue_context(request))
    return visitors.page(
        request,
        "catalogue",
        asked,
        lambda: (_("Learn"), "learning/_catalogue_body.html", _catalogue_context(request)),
    )


def _catalogue_context(request):
    # The filters, and the pager's links, read the known parameters alone, not whatever
    # else the address held.
    params = known_params(request.GET, CatalogueForm.base_fields)
    form = CatalogueForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.catalogue_results(user=request.user, filters=filters)
    page, query = paginate(request, results, PAGE_SIZE, params=params)
    mine_offerings, _mine_programmes = selectors.active_target_ids(request.user)
    for model in {type(item) for item in page}:
        attach_tags(item for item in page if type(item) is model)
    for item in page:
        if isinstance(item, Offering):
            item.cta = selectors.call_to_action(user=request.user, target=item)
            item.is_mine = item.pk in mine_offerings
    return {
        "form": form,
        "page": page,
        "query": query,
        "programmes": [] if filters else selectors.programme_strip(),
        "modes": [(value, label, MODE_EXPLANATIONS[value]) for value, label in Mode.choices]
        + [(s.mode, s.label, s.explanation) for s in registry.sources()],
        "filtered": bool(filters and any(filters.values())),
    }


def _target_page(request, target, *, form=None, status=200):
    """The offering or programme page, with its call to action (and form errors)."""
    template, context = _target_context(request, target, form=form)
    return render(request, template, context, status=status)


def _target_context(request, target, *, form=None):
    if target is None:
        raise Http404(_("No such offering or programme."))
    enrolment = selectors.enrolment_for(user=request.user, target=target)
    context = {
        "target": target,
        "enrolment": enrolment,
        "cta": selectors.call_to_action(user=request.user, target=target, enrolment=enrolment),
        "form": form or EnrolmentForm(target=target, user=request.user),
    }
    if isinstance(target, Offering):
        template = "learning/offering_detail.html"
        context |= {
            "offering": target,
            "pairs": selectors.pairs_well_with(target),
            "mode_explanation": MODE_EXPLANATIONS[target.mode],
        }
    else:
        template = "learning/programme_detail.html"
        context |= {
            "programme": target,
            "steps": selectors.programme_progress(user=request.user, programme=target),
        }
    return template, context


def offering_detail(request, slug):
    return _detail(request, slug, selectors.offering_get, "learning/_offering_body.html")


def programme_detail(request, slug):
    return _detail(request, slug, selectors.programme_get, "learning/_programme_body.html")


def _detail(request, slug, get, body):
    """An offering's or programme's page: kept for visitors (learning.visitors), rendered
    with their own place and buttons for a signed-in reader."""
    if request.user.is_authenticated:
        return _target_page(request, get(slug=slug, user=request.user))

    def make():
        target = get(slug=slug, user=request.user)
        _template, context = _target_context(request, target)  # 404 when there is none
        return target.title, body, context

    return visitors.page(request, body, [slug], make)


def _enrol(request, target):
    if target is None:
        raise Http404(_("No such offering or programme."))
    form = EnrolmentForm(request.POST, target=target, user=request.user)
    if not form.is_valid():
        return _rerender_with_errors(request, target, form)
    try:
        enrolment = services.enrolment_create(
            user=request.user,
            target=target,
            motivation=form.cleaned_data.get("motivation", ""),
            line_manager_name=form.cleaned_data.get("line_manager_name", ""),
            line_manager_email=form.cleaned_data.get("line_manager_email", ""),
            encouraged_by=form.cleaned_data.get("encouraged_by"),
        )
    except services.EnrolmentRefused as refused:
        messages.error(request, refused.message)
        return redirect(target)
    except ValidationError as error:
        add_errors(form, error)
        return _rerender_with_errors(request, target, form)
    if enrolment.status == Enrolment.Status.CONFIRMED:
        messages.success(request, _("You are confirmed for “%(t)s”.") % {"t": target})
    elif enrolment.status == Enrolment.Status.WAITLISTED:
        position = selectors.waitlist_position(enrolment)
        messages.success(
            request,
            _(
                "“%(t)s” is full: you are number %(n)s on the waitlist. We will e-mail you if a "
                "place becomes free."
            )
            % {"t": target, "n": position},
        )
    else:
        messages.success(
            request,
            _("Your application for “%(t)s” has been sent. The lab will let you know.")
            % {"t": target},
        )
    if target.capabilities.exists():
        # Where the person stands today, to see their growth later (optional).
        return redirect("learning:outcome-rate", pk=enrolment.pk)
    return redirect(target)


def _rerender_with_errors(request, target, form):
    messages.error(request, _("Please correct the errors below."))
    return _target_page(request, target, form=form, status=400)


def _withdraw(request, target):
    if target is None:
        raise Http404(_("No such offering or programme."))
    enrolment = selectors.enrolment_for(user=request.user, target=target)
    if enrolment is None:
        messages.error(request, _("You have no place or application here to withdraw."))
        return redirect(target)
    try:
        services.enrolment_withdraw(enrolment=enrolment, by=request.user)
    except services.EnrolmentRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("You have withdrawn from “%(t)s”.") % {"t": target})
    return redirect(target)


@require_POST
@login_required
def offering_enrol(request, slug):
    return _enrol(request, selectors.offering_get(slug=slug, user=request.user))


@require_POST
@login_required
def offering_withdraw(request, slug):
    return _withdraw(request, selectors.offering_get(slug=slug, user=request.user))


@require_POST
@login_required
def programme_enrol(request, slug):
    return _enrol(request, selectors.programme_get(slug=slug, user=request.user))


@require_POST
@login_required
def programme_withdraw(request, slug):
    return _withdraw(request, selectors.programme_get(slug=slug, user=request.user))


@login_required
def my_learning(request):
    context = {
        "journey": selectors.my_learning(user=request.user),
        "to_answer": outcome_selectors.to_answer(user=request.user),
        "growth": outcome_selectors.growth_for(user=request.user),
    }
    return render(request, "learning/my_learning.html", context)


@login_required
def my_calendar(request):
    offerings = selectors.calendar_sessions(user=request.user)
    body = calendar.learning_calendar(offerings, user=request.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="innolab-my-learning.ics"'
    return response


def invitation(request, token):
    """The link in a cohort invitation. Someone not signed in is asked to sign up or log
    in, and the account adapter brings them back here. Signed in, they are asked to join
    (a POST places them), and warned when the invitation was sent to another address."""
    invite = selectors.invitation_get(token=token)
    if invite is None:
        return render(request, "learning/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        continue_after_login(request, request.path)
        return render(request, "learning/invitation.html", {"invitation": invite})
    if request.method != "POST":
        return render(
            request,
            "learning/invitation.html",
            {"invitation": invite, "for_me": selectors.invitation_is_for(invite, request.user)},
        )
    try:
        enrolment = services.invitation_accept(user=request.user, token=token)
    except services.EnrolmentRefused as refused:
        messages.warning(request, refused.message)
    else:
        if enrolment is not None:
            messages.success(
                request,
                _("Welcome! You have a confirmed place in “%(t)s”.") % {"t": enrolment.target},
            )
    return redirect("learning:mine")


@lab_staff_required
def staff_overview(request):
    context = {
        "overview": selectors.staff_overview(),
        "outcomes": outcome_selectors.target_rows(),
        "enough": policy.ENOUGH_PEOPLE,
    }
    return render(request, "learning/staff_overview.html", context)


# --- Outcomes: a person's own ratings and answers, and lab staff's figures ----------------------


def _own_enrolment_or_404(request, pk):
    """The place `pk` when it is the signed-in person's (learning.policy.owns_outcomes);
    a 404 for anyone else, lab staff included: these answers are the person's alone."""
    enrolment = outcome_selectors.enrolment_of(pk=pk, user=request.user)
    if enrolment is None:
        raise Http404(_("No such place."))
    return enrolment


@login_required
def outcome_rate(request, pk):
    """How the person rates themselves on what their new place develops: optional."""
    enrolment = _own_enrolment_or_404(request, pk)
    rows = outcome_selectors.rating_rows(enrolment=enrolment, moment=Moment.START)
    if not rows:
        return redirect("learning:mine")
    form = RatingsForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.self_assessment_save(enrolment=enrolment, user=request.user, levels=form.levels())
        messages.success(request, _("Your ratings are saved. Only you can see them."))
        return redirect("learning:mine")
    status = 400 if request.method == "POST" else 200
    context = {"enrolment": enrolment, "form": form}
    return render(request, "learning/outcome_rate.html", context, status=status)


@login_required
def outcome_feedback(request, pk):
    enrolment = _own_enrolment_or_404(request, pk)
    existing = getattr(enrolment, "feedback", None)
    if existing is not None and not services.feedback_editable(existing):
        return render(
            request, "learning/outcome_feedback.html", {"enrolment": enrolment, "closed": True}
        )
    form = FeedbackForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_save(enrolment=enrolment, user=request.user, data=form.cleaned_data)
        except services.OutcomeRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Thank you: your feedback is saved."))
            return redirect("learning:mine")
    elif not policy.is_completed(enrolment):
        messages.info(request, _("You can say how it went once your place is completed."))
        return redirect("learning:mine")
    status = 400 if request.method == "POST" else 200
    context = {"enrolment": enrolment, "form": form, "editing": existing is not None,
               "editable_days": settings.FEEDBACK_EDITABLE_DAYS}  # fmt: skip
    return render(request, "learning/outcome_feedback.html", context, status=status)


@login_required
def outcome_follow_up(request, pk):
    enrolment = _own_enrolment_or_404(request, pk)
    if not services.follow_up_due(enrolment):
        messages.info(
            request,
            _("The follow-up opens %(n)s days after a place is completed.")
            % {"n": settings.OUTCOME_FOLLOW_UP_DAYS},
        )
        return redirect("learning:mine")
    existing = getattr(enrolment, "follow_up", None)
    rows = outcome_selectors.rating_rows(enrolment=enrolment, moment=Moment.FOLLOW_UP)
    initial = {"used": existing.used, "with_what": existing.with_what,
               "with_whom": existing.with_whom} if existing else None  # fmt: skip
    form = FollowUpForm(request.POST or None, rows=rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        follow_up = services.follow_up_save(
            enrolment=enrolment, user=request.user, used=data["used"],
            with_what=data["with_what"], with_whom=data["with_whom"], levels=form.levels(),
        )  # fmt: skip
        messages.success(request, _("Thank you: your answer is saved. Only you see it."))
        if follow_up.used == UsedAtWork.TAUGHT:
            messages.info(
                request,
                _("You taught it to colleagues: that is what change agents do. "
                  "Nominate yourself on the change agents page."),
            )  # fmt: skip
            return redirect("community:spread-log")
        return redirect("learning:mine")
    status = 400 if request.method == "POST" else 200
    context = {"enrolment": enrolment, "form": form}
    return render(request, "learning/outcome_follow_up.html", context, status=status)


@lab_staff_required
def staff_outcomes_csv(request):
    """Lab staff's figures per programme and offering; withheld cells read "fewer than 5"."""
    return exports.csv_response(
        exports.outcome_rows(outcome_selectors.target_rows()),
        header=exports.OUTCOME_COLUMNS,
        filename="innolab-outcomes.csv",
    )


@lab_staff_required
def staff_outcome_comments_csv(request):
    """Free-text answers without names, for groups of at least 5 people."""
    return exports.csv_response(
        outcome_selectors.comment_rows(),
        header=exports.OUTCOME_COMMENT_COLUMNS,
        filename="innolab-outcome-comments.csv",
    )
