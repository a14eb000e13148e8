"""Learning outcomes: self-ratings, feedback, the three-month follow-up, the e-mails that
ask for them (each exactly once), and the figures lab staff see (withheld below five
people everywhere: pages, CSV, digests, reach)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from community.accounts.services import account_delete, personal_data_export
from learning import policy, services
from learning.models import (
    Enrolment,
    Feedback,
    FollowUp,
    Moment,
    OutcomeRequest,
    SelfRating,
    UsedAtWork,
)
from learning.selectors import outcomes as selectors
from tests import factories

pytestmark = pytest.mark.django_db

Kind = OutcomeRequest.Kind
ANSWER = {"usefulness": 4, "will_use": "Interviews", "missing": "", "recommend": 9,
          "comments": "Great"}  # fmt: skip


@pytest.fixture
def offering():
    offering = factories.offering(title="Listening to users")
    offering.capabilities.set([factories.capability(name="Listening"),
                               factories.capability(name="Prototyping")])  # fmt: skip
    return offering


def completed_place(offering, *, days_ago=0, person=None):
    """A completed place in `offering`, completed `days_ago`."""
    person = person or factories.user()
    when = timezone.now() - timedelta(days=days_ago)
    enrolment, _ = services.enrolment_place(
        user=person, target=offering, by=None, now=when - timedelta(days=10)
    )
    return services.enrolment_complete(enrolment=enrolment, by=None, now=when)


def capability_ids(offering):
    return list(offering.capabilities.order_by("pk").values_list("pk", flat=True))


# --- Self-assessment ---------------------------------------------------------------------


def test_enrolling_in_something_that_develops_capabilities_leads_to_the_optional_rating(
    offering,
):
    person = factories.user()
    client = factories.client_for(person)
    response = client.post(reverse("learning:offering-enrol", args=[offering.slug]))
    enrolment = Enrolment.objects.get(user=person)
    assert response["Location"] == reverse("learning:outcome-rate", args=[enrolment.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Listening" in page and "Skip for now" in page and "Only you" in page
    first, _second = capability_ids(offering)
    saved = client.post(response["Location"], {f"capability_{first}": "2"})
    assert saved["Location"] == reverse("learning:mine")
    # Rated one, skipped the other; a capability of another offering is ignored.
    assert list(SelfRating.objects.values_list("capability_id", "level", "moment")) == [
        (first, 2, Moment.START)
    ]
    services.self_assessment_save(
        enrolment=enrolment, user=person, levels={first: 3, factories.capability().pk: 4}
    )
    assert list(SelfRating.objects.values_list("level", flat=True)) == [3]


def test_my_learning_asks_to_rate_each_place_that_develops_capabilities_once(offering):
    person = factories.user()
    plain = factories.offering(title="No capabilities")
    programme = factories.programme(title="A journey with capabilities")
    programme.capabilities.set([factories.capability(name="Facilitating")])
    rated = factories.offering(title="Already rated")
    rated.capabilities.set([factories.capability(name="Sketching")])
    places = {
        target: services.enrolment_place(user=person, target=target, by=None)[0]
        for target in (offering, plain, programme, rated)
    }
    services.self_assessment_save(
        enrolment=places[rated], user=person, levels={rated.capabilities.get().pk: 2}
    )
    factories.offering(title="Someone else's").capabilities.set([factories.capability()])
    # Two capabilities, one row: the offering's place is asked once.
    rate = selectors.to_answer(user=person).rate
    assert sorted(e.pk for e in rate) == sorted([places[offering].pk, places[programme].pk])
    services.enrolment_complete(enrolment=places[offering], by=None)
    assert [e.pk for e in selectors.to_answer(user=person).rate] == [places[programme].pk]


def test_nobody_else_opens_someones_ratings_or_answers(offering):
    place = completed_place(offering, days_ago=100)
    for other in (factories.user(), factories.lab_staff()):
        client = factories.client_for(other)
        for name in ("outcome-rate", "feedback", "follow-up"):
            assert client.get(reverse(f"learning:{name}", args=[place.pk])).status_code == 404
        with pytest.raises(services.OutcomeRefused):
            services.feedback_save(enrolment=place, user=other, data=ANSWER)
        with pytest.raises(services.OutcomeRefused):
            services.self_assessment_save(enrolment=place, user=other, levels={})


# --- Feedback and its e-mails ---------------------------------------------------------


def test_completing_a_place_asks_for_feedback_once_and_reminds_once(
    offering, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place = completed_place(offering)
    asked = [m for m in mailoutbox if m.subject == "How was “Listening to users”?"]
    assert len(asked) == 1
    assert reverse("learning:feedback", args=[place.pk]) in asked[0].body
    assert "List-Unsubscribe" in asked[0].extra_headers
    mailoutbox.clear()
    # Asking again (a retried task, a second worker) sends nothing more.
    assert not services.outcome_request_send(enrolment=place, kind=Kind.FEEDBACK)
    later = timezone.now() + timedelta(days=7, hours=1)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.outcomes_tick(now=later)
    assert [m.subject for m in mailoutbox] == ["A reminder: how was “Listening to users”?"]
    with django_capture_on_commit_callbacks(execute=True):
        services.outcomes_tick(now=later + timedelta(days=7))
    assert len(mailoutbox) == 1
    assert OutcomeRequest.objects.filter(enrolment=place).count() == 2


def test_no_reminder_once_the_feedback_is_in(offering, mailoutbox):
    place = completed_place(offering)
    services.feedback_save(enrolment=place, user=place.user, data=ANSWER)
    asked = services.outcomes_tick(now=timezone.now() + timedelta(days=8))
    assert asked[Kind.REMINDER] == 0


def test_feedback_is_answered_on_the_site_and_editable_for_30_days(offering):
    place = completed_place(offering)
    client = factories.client_for(place.user)
    url = reverse("learning:feedback", args=[place.pk])
    assert "How useful was it" in client.get(url).content.decode()
    bad = client.post(url, {"usefulness": "4", "recommend": "11"})
    assert bad.status_code == 400 and not Feedback.objects.exists()
    assert client.post(url, {**ANSWER, "recommend": "7"})["Location"] == reverse("learning:mine")
    assert client.post(url, {**ANSWER, "recommend": "8"}).status_code == 302
    assert Feedback.objects.get().recommend == 8
    later = timezone.now() + timedelta(days=31)
    with pytest.raises(services.OutcomeRefused, match="30 days"):
        services.feedback_save(enrolment=place, user=place.user, data=ANSWER, now=later)


def test_feedback_only_on_a_completed_place(offering):
    enrolment, _ = services.enrolment_place(user=factories.user(), target=offering, by=None)
    with pytest.raises(services.OutcomeRefused, match="completed"):
        services.feedback_save(enrolment=enrolment, user=enrolment.user, data=ANSWER)


def test_a_person_who_switched_these_emails_off_is_asked_on_the_site_only(
    offering, mailoutbox, django_capture_on_commit_callbacks
):
    person = factories.user(email_outcomes=False)
    with django_capture_on_commit_callbacks(execute=True):
        place = completed_place(offering, person=person)
    assert not [m for m in mailoutbox if "How was" in m.subject]
    assert OutcomeRequest.objects.filter(enrolment=place, kind=Kind.FEEDBACK).exists()
    assert place in selectors.to_answer(user=person).feedback


# --- The follow-up at three months ------------------------------------------------------


def test_the_follow_up_goes_once_ninety_days_after_completion_and_shows_growth(
    offering, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.OUTCOME_FOLLOW_UP_DAYS = 90
    place = completed_place(offering)
    person = place.user
    first, second = capability_ids(offering)
    services.self_assessment_save(enrolment=place, user=person, levels={first: 1, second: 2})
    client = factories.client_for(person)
    too_early = client.get(reverse("learning:follow-up", args=[place.pk]))
    assert too_early["Location"] == reverse("learning:mine")
    mail.outbox.clear()
    assert services.outcomes_tick(now=timezone.now() + timedelta(days=89))[Kind.FOLLOW_UP] == 0
    in_90_days = timezone.now() + timedelta(days=90, hours=1)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.outcomes_tick(now=in_90_days)
    follow_ups = [m for m in mailoutbox if "Three months on" in m.subject]
    assert len(follow_ups) == 1
    url = reverse("learning:follow-up", args=[place.pk])
    assert url in follow_ups[0].body
    answer = {"used": "regularly", "with_what": "Two projects", "with_whom": "My team",
              f"capability_{first}": "3", f"capability_{second}": "2"}  # fmt: skip
    assert client.post(url, answer)["Location"] == reverse("learning:mine")
    assert FollowUp.objects.get().used == UsedAtWork.REGULARLY
    page = client.get(reverse("learning:mine")).content.decode()
    assert "Your growth" in page and "+2" in page
    growth = {row.capability.pk: row.change for row in selectors.growth_for(user=person)}
    assert growth == {first: 2, second: 0}


def test_teaching_it_to_colleagues_leads_to_the_change_agent_nomination(offering):
    place = completed_place(offering, days_ago=91)
    client = factories.client_for(place.user)
    response = client.post(
        reverse("learning:follow-up", args=[place.pk]), {"used": "taught"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("community:spread-log")
    assert "Nominate yourself" in response.content.decode()


# --- Figures: withheld below five people everywhere --------------------------------------


def answered_places(offering, n, *, follow_up=True, days_ago=100):
    places = []
    first = (capability_ids(offering) or [None])[0]
    for i in range(n):
        place = completed_place(offering, days_ago=days_ago)
        services.self_assessment_save(enrolment=place, user=place.user, levels={first: 1})
        services.feedback_save(
            enrolment=place, user=place.user,
            data={**ANSWER, "recommend": 10 if i % 2 else 5, "will_use": f"Answer {i}"},
            now=place.decided_at,
        )  # fmt: skip
        if follow_up:
            services.follow_up_save(
                enrolment=place, user=place.user,
                used="regularly" if i % 2 else "not_yet", levels={first: 3},
            )  # fmt: skip
        places.append(place)
    return places


def test_figures_over_fewer_than_five_people_are_withheld(offering):
    answered_places(offering, 4)
    summary = selectors.summary(Enrolment.objects.filter(offering=offering))
    assert summary.feedback == 4
    assert summary.response_rate is None and summary.usefulness_average is None
    assert summary.net_recommendation is None and summary.used_share is None
    assert summary.usefulness == [] and summary.growth == [] and summary.comments == []
    answered_places(offering, 1)
    summary = selectors.summary(Enrolment.objects.filter(offering=offering))
    assert summary.response_rate == 100 and summary.usefulness_average == 4.0
    # 2 promoters (10), 3 detractors (5): (2 - 3) / 5
    assert summary.net_recommendation == -20
    assert summary.used_share == 40
    assert [(c.name, people, change) for c, people, change in summary.growth] == [
        ("Listening", 5, 2.0)
    ]
    assert ("What will you use?", "Answer 0") in [(str(q), t) for q, t in summary.comments]


def test_lab_staff_pages_and_csv_withhold_small_groups(offering):
    answered_places(offering, 3)
    small = factories.offering(title="Small group")
    answered_places(small, 1, follow_up=False)
    big = factories.offering(title="Big group")
    big.capabilities.set(offering.capabilities.all())
    answered_places(big, 5)
    staff = factories.client_for(factories.lab_staff())
    page = staff.get(reverse("learning:staff-overview")).content.decode()
    assert "Learning outcomes" in page and "fewer than 5" in page
    csv = staff.get(reverse("learning:staff-outcomes-csv")).content.decode("utf-8-sig")
    rows = {line.split(",")[1]: line for line in csv.splitlines()[1:]}
    assert "fewer than 5" in rows["Listening to users"]
    assert rows["Big group"].endswith(",5,100,4.0,-20,5,40")
    comments = staff.get(reverse("learning:staff-outcome-comments-csv")).content.decode()
    assert "Big group" in comments and "Answer 4" in comments
    assert "Listening to users" not in comments and "Small group" not in comments
    # The offering's own admin page: the panel, withheld.
    admin = staff.get(reverse("admin:learning_offering_change", args=[offering.pk]))
    assert "Learning outcomes" in admin.content.decode()
    assert "fewer than 5" in admin.content.decode()


def test_the_staff_overview_keeps_its_query_count(django_assert_max_num_queries, offering):
    staff = factories.client_for(factories.lab_staff())
    for size in (1, 6):
        for _ in range(size):
            answered_places(factories.offering(), 1)
        with django_assert_max_num_queries(16):
            assert staff.get(reverse("learning:staff-overview")).status_code == 200


def test_the_reach_page_shows_use_at_work_by_half_year_withheld_below_five(offering, client):
    answered_places(offering, 4)
    page = client.get(reverse("community:reach")).content.decode()
    assert "Used it back at work, three months on" in page and "fewer than 5" in page
    answered_places(offering, 1)
    page = client.get(reverse("community:reach")).content.decode()
    assert "40 %" in page


def test_a_cohorts_digest_carries_its_outcomes_once_five_answered(offering):
    from community import digests
    from learning.models import Cohort

    cohort = Cohort.objects.create(name="Spring", offering=offering)
    places = answered_places(offering, 4)
    Enrolment.objects.filter(pk__in=[p.pk for p in places]).update(cohort=cohort)
    now = timezone.now()
    content = digests.digest_content(cohort=cohort, since=now - timedelta(days=400), until=now)
    assert "outcomes" not in [s["key"] for s in content["sections"]]
    place = answered_places(offering, 1)[0]
    Enrolment.objects.filter(pk=place.pk).update(cohort=cohort)
    content = digests.digest_content(cohort=cohort, since=now - timedelta(days=400), until=now)
    section = next(s for s in content["sections"] if s["key"] == "outcomes")
    assert {item["key"]: item["value"] for item in section["items"]} == {
        "usefulness": 4.0, "recommend": -20, "used": 40,
    }  # fmt: skip


# --- Personal data ---------------------------------------------------------------------


def test_the_export_has_a_persons_outcomes_and_deletion_erases_them(offering):
    place = answered_places(offering, 1)[0]
    person = place.user
    exported = personal_data_export(user=person)["learning_outcomes"]
    assert exported["feedback"][0]["will_use"] == "Answer 0"
    assert exported["follow_ups"][0]["used"] == "not_yet"
    assert {r["moment"] for r in exported["self_ratings"]} == {"start", "follow_up"}
    account_delete(user=person)
    assert not SelfRating.objects.filter(user=person).exists()
    assert not Feedback.objects.exists() and not FollowUp.objects.exists()


def test_is_completed_agrees_with_completed_enrolments_for_every_status():
    person = factories.user()
    for status in Enrolment.Status.values:
        place = Enrolment.objects.create(user=person, offering=factories.offering(), status=status)
        in_query = policy.completed_enrolments().filter(pk=place.pk).exists()
        assert policy.is_completed(place) is in_query, status
