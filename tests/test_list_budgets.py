"""List pages not covered next to their features: each answers in the same number of
queries with a little or a lot of data (an N+1 would make the larger size cost more)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Notification, Space
from tests import factories

pytestmark = pytest.mark.django_db


def old_user(**fields):
    person = factories.user(**fields)
    person.date_joined = timezone.now() - timedelta(days=60)
    person.save()
    return person


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow_forums(n):
    """n spaces, each with a topic, a reply, a flag and a notification for `reader`."""
    reader = factories.alumnus(display_name="Reader", open_to_advice=True)
    reader.date_joined = timezone.now() - timedelta(days=60)
    reader.save()
    for _ in range(n):
        i = Space.objects.count()
        where = Space.objects.create(name=f"Space {i}", slug=f"space-{i}")
        author = old_user()
        topic = services.topic_create(
            space=where, author=author, title=f"Topic {i}", kind="discussion", body="Hi"
        )
        reply = services.post_reply(topic=topic, author=old_user(), body=f"Reply {i}")
        services.flag_create(post=reply, reporter=reader, reason="Off topic")
        Notification.objects.create(user=reader, kind="reply", post=reply)
    return reader


def grow_advice(n, person):
    for _ in range(n):
        other = factories.alumnus(open_to_advice=True)
        services.advice_request_create(
            requester=other, recipient=person, subject="Help?", message="A question"
        )


@pytest.mark.parametrize(
    "name",
    [
        "community:forums",
        "community:notifications",
        "community:moderation",
        "community:advice-list",
    ],
)
def test_community_lists_cost_the_same_for_2_or_12_items(client, name):
    counts = []
    for size in (2, 12):
        reader = grow_forums(size)
        grow_advice(size, reader)
        viewer = factories.lab_staff() if name == "community:moderation" else reader
        client.force_login(viewer)
        counts.append(queries(client, reverse(name)))
    assert counts[0] == counts[1], counts


def test_staff_overview_and_home_cost_the_same_for_2_or_12_offerings(client):
    from learning import services as learning_services

    counts = {"staff": [], "home": [], "community": []}
    staff = factories.lab_staff()
    for size in (2, 12):
        for _ in range(size):
            offering = factories.offering(enrolment_policy="application")
            learning_services.enrolment_create(
                user=factories.user(), target=offering, motivation="Keen"
            )
            factories.alumnus(of=factories.offering())
        client.force_login(staff)
        counts["staff"].append(queries(client, reverse("learning:staff-overview")))
        client.logout()
        counts["home"].append(queries(client, reverse("home")))
        counts["community"].append(queries(client, reverse("community:index")))
    for page, (small, large) in counts.items():
        assert small == large, (page, small, large)
