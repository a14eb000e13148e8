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
from community.accounts.paging import paginate
from community.accounts.tags import attach_tags
from learning import calendar, registry, selectors, services
from learning.forms import CatalogueForm, EnrolmentForm
from learning.models import MODE_EXPLANATIONS, Enrolment, Mode, Offering

PAGE_SIZE = 20


def catalogue(request):
    return render(request, "learning/catalogue.html", _catalogue_context(request))


def _catalogue_context(request):
    form = CatalogueForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.catalogue_results(user=request.user, filters=filters)
    page, query = paginate(request, results, PAGE_SIZE)
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
    return _target_page(request, selectors.offering_get(slug=slug, user=request.user))


def programme_detail(request, slug):
    return _target_page(request, selectors.programme_get(slug=slug, user=request.user))


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
    return render(
        request, "learning/my_learning.html", {"journey": selectors.my_learning(user=request.user)}
    )


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
    return render(request, "learning/staff_overview.html", {"overview": selectors.staff_overview()})
