"""Enrolment rules, driven through the services the site and the admin share."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learning import selectors, services
from learning.models import Enrolment, EnrolmentStatusChange
from tests import factories

pytestmark = pytest.mark.django_db

Status = Enrolment.Status


@pytest.fixture
def people():
    return [factories.user() for _ in range(4)]


def enrol(user, target, **kwargs):
    return services.enrolment_create(user=user, target=target, **kwargs)


def test_open_offering_with_a_free_seat_confirms_at_once(people):
    offering = factories.offering(capacity=2)
    enrolment = enrol(people[0], offering)
    assert enrolment.status == Status.CONFIRMED
    change = EnrolmentStatusChange.objects.get(enrolment=enrolment)
    assert (change.from_status, change.to_status, change.changed_by) == ("", "confirmed", people[0])


def test_enrolment_create_waitlists_when_full_with_distinct_positions(people):
    offering = factories.offering(capacity=1)
    enrol(people[0], offering)
    second = enrol(people[1], offering)
    third = enrol(people[2], offering)
    assert second.status == third.status == Status.WAITLISTED
    assert selectors.waitlist_position(second) == 1
    assert selectors.waitlist_position(third) == 2


def test_waitlist_positions_count_each_line_in_the_order_of_promotion(people):
    """Places in line are counted per offering or programme, and ties on the time are
    broken by id, as in_waitlist_order() (which promotion reads) has them."""
    offering = factories.offering(capacity=1)
    programme = factories.programme(capacity=1)
    confirmed = enrol(people[0], offering)
    enrol(people[0], programme)
    in_offering = [enrol(p, offering) for p in people[1:]]
    in_programme = [enrol(p, programme) for p in people[1:3]]
    # The last two in the offering's line joined at the same moment: the id decides.
    Enrolment.objects.filter(pk__in=[e.pk for e in in_offering[1:]]).update(
        waitlisted_at=in_offering[1].waitlisted_at
    )
    everyone = [e.pk for e in [*in_offering, *in_programme, confirmed]]
    positions = selectors.waitlist_positions(everyone)
    order = Enrolment.objects.filter(offering=offering).in_waitlist_order()
    assert [positions[pk] for pk in order.values_list("pk", flat=True)] == [1, 2, 3]
    assert [positions[e.pk] for e in in_programme] == [1, 2]
    assert len(positions) == 5  # the confirmed place is in no line
    assert [selectors.waitlist_position(e) for e in in_offering] == [1, 2, 3]


def test_unlimited_capacity_never_waitlists(people):
    offering = factories.offering(capacity=None)
    assert all(enrol(p, offering).status == Status.CONFIRMED for p in people)


def test_project_circle_size_caps_participants(people):
    project = factories.offering(mode="project", capacity=None, circle_size=2)
    statuses = [enrol(p, project).status for p in people[:3]]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]


def test_application_offering_records_an_application(people):
    offering = factories.offering(enrolment_policy="application", capacity=5)
    enrolment = enrol(people[0], offering, motivation="To learn co-design")
    assert enrolment.status == Status.APPLIED
    assert enrolment.motivation == "To learn co-design"


def test_application_needs_a_motivation(people):
    offering = factories.offering(enrolment_policy="application")
    with pytest.raises(ValidationError) as error:
        enrol(people[0], offering)
    assert "motivation" in error.value.message_dict
    assert not Enrolment.objects.exists()


def test_secondment_needs_the_line_manager(people):
    secondment = factories.offering(mode="secondment", enrolment_policy="application")
    with pytest.raises(ValidationError) as error:
        enrol(people[0], secondment, motivation="Six months in a lab")
    assert set(error.value.message_dict) == {"line_manager_name", "line_manager_email"}
    enrolment = enrol(
        people[0],
        secondment,
        motivation="Six months in a lab",
        line_manager_name="Pat",
        line_manager_email="pat@example.gov",
    )
    assert enrolment.status == Status.APPLIED
    assert enrolment.line_manager_email == "pat@example.gov"


def test_secondments_cannot_be_open_enrolment():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        factories.offering(mode="secondment", enrolment_policy="open")


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_draft_and_archived_offerings_refuse_enrolment(people, status):
    offering = factories.offering(status=status)
    with pytest.raises(services.EnrolmentRefused, match="not open for enrolment"):
        enrol(people[0], offering)
    assert not Enrolment.objects.exists()


def test_past_the_deadline_enrolment_is_refused(people):
    offering = factories.offering(application_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(services.EnrolmentRefused, match="closed on"):
        enrol(people[0], offering)
    assert not Enrolment.objects.exists()


def test_without_a_deadline_enrolment_closes_when_it_starts(people):
    offering = factories.offering(starts_on=timezone.localdate())
    with pytest.raises(services.EnrolmentRefused):
        enrol(people[0], offering)
    tomorrow = factories.offering(starts_on=timezone.localdate() + timedelta(days=1))
    assert enrol(people[0], tomorrow).status == Status.CONFIRMED


def test_one_active_enrolment_per_person_and_target(people):
    offering = factories.offering()
    enrol(people[0], offering)
    with pytest.raises(services.EnrolmentRefused, match="already have a place"):
        enrol(people[0], offering)
    assert Enrolment.objects.count() == 1


def test_the_database_refuses_a_second_active_enrolment(people):
    from django.db import IntegrityError

    offering = factories.offering()
    Enrolment.objects.create(user=people[0], offering=offering, status="confirmed")
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(user=people[0], offering=offering, status="applied")


def test_an_enrolment_targets_exactly_one_thing(people):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Enrolment.objects.create(user=people[0], status="confirmed")


def test_withdrawing_a_confirmed_place_promotes_the_first_in_line(people):
    offering = factories.offering(capacity=1)
    first = enrol(people[0], offering)
    second = enrol(people[1], offering)
    third = enrol(people[2], offering)
    services.enrolment_withdraw(enrolment=first, by=people[0])
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.status == Status.WITHDRAWN
    assert second.status == Status.CONFIRMED
    assert third.status == Status.WAITLISTED
    assert selectors.waitlist_position(third) == 1
    promoted = second.status_changes.last()
    assert (promoted.from_status, promoted.to_status, promoted.changed_by) == (
        "waitlisted",
        "confirmed",
        None,
    )


def test_leaving_the_waitlist_promotes_nobody(people):
    offering = factories.offering(capacity=1)
    enrol(people[0], offering)
    second = enrol(people[1], offering)
    third = enrol(people[2], offering)
    services.enrolment_withdraw(enrolment=second, by=people[1])
    third.refresh_from_db()
    assert third.status == Status.WAITLISTED
    assert selectors.waitlist_position(third) == 1


def test_withdrawn_people_can_enrol_again(people):
    offering = factories.offering()
    services.enrolment_withdraw(enrolment=enrol(people[0], offering), by=people[0])
    assert enrol(people[0], offering).status == Status.CONFIRMED


def test_nothing_to_withdraw_is_refused(people):
    offering = factories.offering()
    enrolment = enrol(people[0], offering)
    services.enrolment_withdraw(enrolment=enrolment, by=people[0])
    with pytest.raises(services.EnrolmentRefused):
        services.enrolment_withdraw(enrolment=enrolment, by=people[0])


def test_confirming_an_application_is_refused_when_full(people, staff):
    offering = factories.offering(enrolment_policy="application", capacity=1)
    a = enrol(people[0], offering, motivation="a")
    b = enrol(people[1], offering, motivation="b")
    services.enrolment_confirm(enrolment=a, by=staff)
    with pytest.raises(services.EnrolmentRefused, match="is full"):
        services.enrolment_confirm(enrolment=b, by=staff)
    b.refresh_from_db()
    assert b.status == Status.APPLIED
    a.refresh_from_db()
    assert a.decided_by == staff and a.decided_at is not None


def test_declining_records_the_reason(people, staff):
    offering = factories.offering(enrolment_policy="application")
    enrolment = enrol(people[0], offering, motivation="m")
    services.enrolment_decline(enrolment=enrolment, by=staff, reason="Full this year")
    enrolment.refresh_from_db()
    assert enrolment.status == Status.DECLINED
    assert enrolment.status_changes.last().reason == "Full this year"


def test_programme_is_enrolled_in_as_a_whole(people):
    programme = factories.programme(capacity=1)
    assert enrol(people[0], programme).status == Status.CONFIRMED
    assert enrol(people[1], programme).status == Status.WAITLISTED


def test_encouraged_by_is_kept_for_change_agent_reach(people):
    offering = factories.offering()
    enrolment = enrol(people[0], offering, encouraged_by=people[1])
    assert enrolment.encouraged_by == people[1]


class TestEmails:
    def run(self, capture, fn, *args, **kwargs):
        with capture(execute=True):
            return fn(*args, **kwargs)

    def test_each_path_sends_its_email(
        self, people, staff, mailoutbox, django_capture_on_commit_callbacks
    ):
        cap = django_capture_on_commit_callbacks
        offering = factories.offering(title="Design sprint", capacity=1)
        first = self.run(cap, enrol, people[0], offering)
        assert "You are confirmed: Design sprint" in mailoutbox[-1].subject
        self.run(cap, enrol, people[1], offering)
        assert "waitlist" in mailoutbox[-1].subject
        assert "number 1 in line" in mailoutbox[-1].body
        self.run(cap, services.enrolment_withdraw, enrolment=first, by=people[0])
        subjects = [m.subject for m in mailoutbox[-2:]]
        assert any("You have withdrawn" in s for s in subjects)
        assert any("A place became free" in s for s in subjects)
        assert mailoutbox[-1].to == [people[1].email]

        applied = factories.offering(title="Co-design", enrolment_policy="application")
        application = self.run(cap, enrol, people[2], applied, motivation="m")
        assert "Application received: Co-design" in mailoutbox[-1].subject
        self.run(
            cap, services.enrolment_decline, enrolment=application, by=staff, reason="Too late"
        )
        assert "About your application: Co-design" in mailoutbox[-1].subject
        assert "Too late" in mailoutbox[-1].body
        accepted = self.run(cap, enrol, people[3], applied, motivation="m")
        self.run(cap, services.enrolment_confirm, enrolment=accepted, by=staff)
        assert "Application accepted: Co-design" in mailoutbox[-1].subject
        # every message has text and HTML, and plain text is not HTML-escaped
        assert all(m.alternatives for m in mailoutbox)
        assert "&quot;" not in mailoutbox[-1].body


def test_offering_update_gives_new_seats_to_the_waitlist_first_in_line_first(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    offering = factories.offering(capacity=1)
    enrol(people[0], offering)
    second, third, fourth = (enrol(person, offering) for person in people[1:])
    offering.summary = "Same seats, new words"
    assert services.offering_update(offering=offering) == []
    offering.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.offering_update(offering=offering)
    assert [e.pk for e in promoted] == [second.pk, third.pk]
    fourth.refresh_from_db()
    assert fourth.status == Status.WAITLISTED and selectors.waitlist_position(fourth) == 1
    assert sum("place" in m.subject.lower() for m in mailoutbox) >= 2


def test_growing_capacity_in_the_admin_promotes_the_waitlist(staff_client, people):
    offering = factories.offering(capacity=1, title="Grown")
    enrol(people[0], offering)
    waiting = enrol(people[1], offering)
    url = reverse("admin:learning_offering_change", args=[offering.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {"capacity": 2, "tags": "", "sessions-TOTAL_FORMS": 0, "sessions-INITIAL_FORMS": 0}
    response = staff_client.post(url, data, follow=True)
    assert "1 person was promoted from the waitlist." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_places_taken_are_counted_by_every_status_change(people, staff):
    offering = factories.offering(capacity=2)
    stale = type(offering).objects.get(pk=offering.pk)  # loaded before any place is taken
    first, second, third = (enrol(person, offering) for person in people[:3])
    services.enrolment_complete(enrolment=first, by=staff)
    services.enrolment_withdraw(enrolment=second, by=people[1])  # third is promoted
    grown = type(offering).objects.get(pk=offering.pk)
    grown.capacity = 3
    services.offering_update(offering=grown)
    placed, _ = services.enrolment_place(user=people[3], target=stale, by=staff)
    services.enrolment_withdraw(enrolment=placed, by=staff)
    stale.title = "Renamed with an old copy"
    stale.save()  # must not write its old count back
    offering.refresh_from_db()
    seated = Enrolment.objects.filter(offering=offering).seated().count()
    assert offering.seats_taken == seated == 2
    assert offering.title == "Renamed with an old copy"
    assert selectors.seats_taken(offering) == 2
    third.refresh_from_db()
    assert third.status == Status.CONFIRMED
