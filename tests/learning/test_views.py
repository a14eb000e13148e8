"""The learning pages through the test client: content, states, permissions, budgets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.accounts.models import Visibility
from learning import selectors, services
from learning.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db


def detail(offering):
    return reverse("learning:offering-detail", args=[offering.slug])


# --- catalogue ---------------------------------------------------------------------------


def test_catalogue_lists_published_offerings_with_what_helps_decide(client):
    lab = factories.organisation(name="Policy Lab", kind="innovation_lab")
    factories.offering(
        title="User research basics",
        host_lab=lab,
        capacity=3,
        format="online",
        starts_on=timezone.localdate() + timedelta(days=5),
    )
    factories.offering(title="Secret draft", status="draft")
    html = client.get(reverse("learning:catalogue")).content.decode()
    assert "User research basics" in html
    assert "Policy Lab" in html and "Online" in html and "3 places left" in html
    assert "Secret draft" not in html


def test_catalogue_filters_by_mode_tag_and_text(client):
    factories.offering(title="A class on nudges", mode="class", tags=["behavioural insights"])
    factories.offering(title="A project on letters", mode="project", tags=["plain language"])
    url = reverse("learning:catalogue")
    html = client.get(url, {"mode": "project"}).content.decode()
    assert "A project on letters" in html and "A class on nudges" not in html
    html = client.get(url, {"tag": "behavioural-insights"}).content.decode()
    assert "A class on nudges" in html and "A project on letters" not in html
    html = client.get(url, {"q": "letters"}).content.decode()
    assert "A project on letters" in html and "A class on nudges" not in html


def test_catalogue_sorts_by_start_date_with_undated_last(client):
    today = timezone.localdate()
    factories.offering(title="Evergreen", starts_on=None)
    factories.offering(title="Later", starts_on=today + timedelta(days=20))
    factories.offering(title="Sooner", starts_on=today + timedelta(days=2))
    html = client.get(reverse("learning:catalogue")).content.decode()
    assert html.index("Sooner") < html.index("Later") < html.index("Evergreen")


def test_catalogue_hides_past_offerings_unless_asked(client):
    factories.offering(
        title="Long gone", starts_on=timezone.localdate() - timedelta(days=40),
        ends_on=timezone.localdate() - timedelta(days=39),
    )  # fmt: skip
    url = reverse("learning:catalogue")
    assert "Long gone" not in client.get(url).content.decode()
    assert "Long gone" in client.get(url, {"include_past": "on"}).content.decode()


def test_catalogue_open_only_filter(client):
    factories.offering(title="Closed one", application_deadline=timezone.now() - timedelta(1))
    factories.offering(title="Open one")
    html = client.get(reverse("learning:catalogue"), {"open_only": "on"}).content.decode()
    assert "Open one" in html and "Closed one" not in html


def test_catalogue_paginates_twenty_per_page(client):
    lab = factories.organisation(kind="innovation_lab")
    for n in range(25):
        factories.offering(title=f"Offering number {n:02d}", host_lab=lab)
    url = reverse("learning:catalogue")
    first = client.get(url).content.decode()
    assert first.count('class="card offering-card"') == 20
    assert "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="card offering-card"') == 5


def test_catalogue_empty_state(client):
    html = client.get(reverse("learning:catalogue"), {"q": "nothing like this"}).content.decode()
    assert "Nothing matches these filters yet." in html


def test_catalogue_shows_programmes_and_explains_modes(client):
    factories.programme(title="La Transfo")
    html = client.get(reverse("learning:catalogue")).content.decode()
    assert "La Transfo" in html
    assert "What is each mode good for?" in html


def test_catalogue_filter_form_is_htmx_enhanced_but_works_without(client):
    html = client.get(reverse("learning:catalogue")).content.decode()
    assert (
        'method="get"' in html
        and 'data-hx-get="/learning/"' in html
        and 'data-hx-select="#results"' in html
    )


@pytest.mark.parametrize("size", [5, 50])
def test_catalogue_query_budget_is_constant(client, member, django_assert_max_num_queries, size):
    lab = factories.organisation(kind="innovation_lab")
    for n in range(size):
        factories.offering(title=f"O {n}", host_lab=lab, tags=["design", f"t{n % 3}"])
    client.force_login(member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("learning:catalogue"))
    assert response.status_code == 200


# --- offering page and its call to action ------------------------------------------------


def test_offering_page_pairs_with_other_modes_sharing_tags(client):
    this = factories.offering(title="Class", mode="class", tags=["co-design"])
    factories.offering(title="Project partner", mode="project", tags=["co-design"])
    factories.offering(title="Another class", mode="class", tags=["co-design"])
    html = client.get(detail(this)).content.decode()
    assert "Pairs well with" in html and "Project partner" in html
    assert "Another class" not in html


def test_cta_anonymous_is_asked_to_log_in(client):
    assert "Log in to enrol" in client.get(detail(factories.offering())).content.decode()


def test_cta_enrol_apply_waitlist_closed(member_client, member):
    assert ">Enrol<" in member_client.get(detail(factories.offering())).content.decode()
    applied = factories.offering(enrolment_policy="application")
    assert ">Apply<" in member_client.get(detail(applied)).content.decode()
    full = factories.offering(capacity=1)
    services.enrolment_create(user=factories.user(), target=full)
    assert "Join waitlist" in member_client.get(detail(full)).content.decode()
    closed = factories.offering(application_deadline=timezone.now() - timedelta(days=1))
    assert "Closed: enrolment is not open." in member_client.get(detail(closed)).content.decode()


def test_cta_confirmed_pending_waitlisted(member_client, member):
    confirmed = factories.offering(online_details="https://meet.example/abc")
    services.enrolment_create(user=member, target=confirmed)
    html = member_client.get(detail(confirmed)).content.decode()
    assert "You are confirmed." in html and "Withdraw my place" in html
    assert "https://meet.example/abc" in html

    pending = factories.offering(enrolment_policy="application")
    services.enrolment_create(user=member, target=pending, motivation="m")
    html = member_client.get(detail(pending)).content.decode()
    assert "Application pending" in html and "Withdraw my application" in html

    full = factories.offering(capacity=1)
    services.enrolment_create(user=factories.user(), target=full)
    services.enrolment_create(user=member, target=full)
    html = member_client.get(detail(full)).content.decode()
    assert "You are on the waitlist, number 1" in html and "Leave the waitlist" in html


def test_online_details_are_only_for_confirmed_participants(client, member):
    offering = factories.offering(online_details="https://meet.example/secret")
    assert "meet.example/secret" not in client.get(detail(offering)).content.decode()
    client.force_login(member)
    assert "meet.example/secret" not in client.get(detail(offering)).content.decode()


def test_cta_completed(member_client, member):
    offering = factories.offering()
    Enrolment.objects.create(user=member, offering=offering, status="completed")
    assert "You completed this" in member_client.get(detail(offering)).content.decode()


def test_draft_offering_is_404_for_members_but_previewed_by_staff(client, member, staff):
    draft = factories.offering(status="draft", title="Work in progress")
    client.force_login(member)
    assert client.get(detail(draft)).status_code == 404
    client.force_login(staff)
    html = client.get(detail(draft)).content.decode()
    assert "Preview for lab staff" in html


# --- enrol and withdraw over HTTP ---------------------------------------------------------


def test_enrol_confirms_and_says_so(member_client, member):
    offering = factories.offering(title="Sprint")
    response = member_client.post(reverse("learning:offering-enrol", args=[offering.slug]))
    assert response.status_code == 302 and response["Location"] == detail(offering)
    assert Enrolment.objects.get(user=member).status == "confirmed"
    page = member_client.get(response["Location"]).content.decode()
    assert "You are confirmed for “Sprint”." in page


def test_enrol_when_full_shows_the_waitlist_position(member_client, member):
    offering = factories.offering(capacity=1)
    services.enrolment_create(user=factories.user(), target=offering)
    response = member_client.post(
        reverse("learning:offering-enrol", args=[offering.slug]), follow=True
    )
    assert "you are number 1 on the waitlist" in response.content.decode()


def test_application_errors_keep_what_was_typed(member_client, member):
    secondment = factories.offering(mode="secondment", enrolment_policy="application")
    response = member_client.post(
        reverse("learning:offering-enrol", args=[secondment.slug]),
        {"motivation": "I want to learn", "line_manager_name": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "line manager’s name" in html
    assert "I want to learn" in html
    assert not Enrolment.objects.exists()


def test_unknown_encourager_handle_is_explained_as_a_hidden_one_is(member_client):
    """The answer is the same for a handle nobody has and for a hidden person's: handles
    cannot be probed through the form."""
    offering = factories.offering()
    hidden = factories.alumnus(handle="hidden-helper", visibility=Visibility.HIDDEN)
    url = reverse("learning:offering-enrol", args=[offering.slug])
    for handle in ("nobody-x", hidden.handle):
        response = member_client.post(url, {"encouraged_by": handle})
        assert response.status_code == 400
        assert f"No member you can see has the handle “{handle}”" in response.content.decode()
    assert not Enrolment.objects.filter(offering=offering).exists()


def test_enrol_past_deadline_is_refused_with_a_message(member_client):
    offering = factories.offering(application_deadline=timezone.now() - timedelta(hours=2))
    response = member_client.post(
        reverse("learning:offering-enrol", args=[offering.slug]), follow=True
    )
    assert "closed on" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrol_requires_login_and_post(client, member):
    offering = factories.offering()
    url = reverse("learning:offering-enrol", args=[offering.slug])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(member)
    assert client.get(url).status_code == 405
    assert not Enrolment.objects.exists()


def test_enrol_is_csrf_protected(member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    offering = factories.offering()
    assert strict.post(reverse("learning:offering-enrol", args=[offering.slug])).status_code == 403


def test_withdraw_promotes_the_next_person(member_client, member):
    offering = factories.offering(capacity=1)
    services.enrolment_create(user=member, target=offering)
    waiting = factories.user()
    services.enrolment_create(user=waiting, target=offering)
    response = member_client.post(
        reverse("learning:offering-withdraw", args=[offering.slug]), follow=True
    )
    assert "You have withdrawn" in response.content.decode()
    assert Enrolment.objects.get(user=waiting).status == "confirmed"


def test_programme_enrol_and_page_shows_the_journey(member_client, member):
    programme = factories.programme(title="La Transfo")
    factories.offering(title="Step two", programme=programme, programme_position=2, mode="project")
    factories.offering(title="Step one", programme=programme, programme_position=1)
    response = member_client.post(reverse("learning:programme-enrol", args=[programme.slug]))
    assert response.status_code == 302
    html = member_client.get(programme.get_absolute_url()).content.decode()
    assert html.index("Step one") < html.index("Step two")
    assert "You have a place" in html and "You are confirmed." in html


# --- my learning ----------------------------------------------------------------------------


def test_my_learning_needs_login(client):
    response = client.get(reverse("learning:mine"))
    assert response.status_code == 302


def test_my_learning_shows_the_cycle_and_suggests_untried_modes(member_client, member):
    member.expertise.set(["co-design"])
    done = factories.offering(title="Done class", mode="class")
    Enrolment.objects.create(user=member, offering=done, status="completed")
    factories.offering(title="Suggested project", mode="project", tags=["co-design"])
    factories.offering(title="Another class", mode="class")
    full = factories.offering(title="Waiting room", capacity=1)
    services.enrolment_create(user=factories.user(), target=full)
    services.enrolment_create(user=member, target=full)
    html = member_client.get(reverse("learning:mine")).content.decode()
    assert "Done class" in html and "Waiting room" in html
    assert "number 1 in line" in html
    assert "Suggested project" in html
    assert "Another class" not in html  # classes are done: no suggestion needed


def test_my_learning_asks_for_places_in_line_only_when_the_person_waits(
    member, django_assert_num_queries
):
    full = factories.offering(capacity=1)
    services.enrolment_create(user=factories.user(), target=full)
    services.enrolment_create(user=member, target=factories.offering())
    selectors.my_learning(user=member)  # content types, read once per process
    # The places, toolkits done (2), interests, two suggestions.
    with django_assert_num_queries(6):
        current = selectors.my_learning(user=member).current
    assert [getattr(e, "position", None) for e in current] == [None]
    services.enrolment_create(user=member, target=full)
    second = factories.user()
    services.enrolment_create(user=second, target=full)
    with django_assert_num_queries(7):  # and one for the places in line
        current = selectors.my_learning(user=member).current
    assert [getattr(e, "position", None) for e in current] == [1, None]
    assert selectors.my_learning(user=second).current[0].position == 2


@pytest.mark.parametrize("size", [5, 50])
def test_my_learning_query_budget_is_constant(
    member_client, member, django_assert_max_num_queries, size
):
    lab = factories.organisation(kind="innovation_lab")
    programme = factories.programme(host_lab=lab)
    for n in range(size):
        offering = factories.offering(
            host_lab=lab, capacity=1, mode=("class", "project")[n % 2], programme=programme
        )
        if n % 3 == 0:
            services.enrolment_create(user=factories.user(), target=offering)
        services.enrolment_create(user=member, target=offering)
    services.enrolment_create(user=member, target=programme)
    factories.offering(host_lab=lab, mode="secondment", enrolment_policy="application")
    member_client.get(reverse("learning:mine"))  # content types, read once per process
    # The session and the person; 8 for the journey (the places, their programmes' steps,
    # the places in line, toolkits done (2), interests, two suggestions); 2 for outcomes
    # (what to answer, the growth); the unread badge.
    with django_assert_max_num_queries(13):
        response = member_client.get(reverse("learning:mine"))
    assert response.status_code == 200


def test_personal_calendar_holds_confirmed_sessions_only(member_client, member):
    from learning.models import Session

    start = timezone.now() + timedelta(days=3)
    mine = factories.offering(title="Mine")
    Session.objects.create(offering=mine, starts_at=start, ends_at=start + timedelta(hours=2))
    other = factories.offering(title="Not mine")
    Session.objects.create(offering=other, starts_at=start, ends_at=start + timedelta(hours=1))
    services.enrolment_create(user=member, target=mine)
    response = member_client.get(reverse("learning:mine-calendar"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "SUMMARY:Mine" in body and "Not mine" not in body
    assert body.count("BEGIN:VEVENT") == 1
