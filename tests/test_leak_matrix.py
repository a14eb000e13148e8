"""Who sees what: people in every relationship to a cohort and its private things, against
every place private things can surface (pages, search, the directory and its filters,
notifications, calendar feeds, the data export, reach, toolkit pages, quoting, flagging,
htmx fragments, e-mails and digests).

Each private item carries a marker; for every (person, place) pair the test reads what
that person gets there and fails when a marker shows to someone outside the item's
audience (README, *Privacy*). Positive checks prove the markers do show where they
should, so the matrix cannot pass by showing nothing.
"""

import itertools
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from community import services
from community.accounts.models import Visibility
from community.accounts.roles import lab_staff_group_sync
from community.accounts.services import personal_data_export
from community.models import Meeting, Notification, Rsvp, Space
from community.services.digests import cohort_digest_send_now
from learning import policy as learning_policy
from learning import services as learning_services
from learning.models import Cohort, Policy, Publication
from tests import factories
from toolkits import services as toolkit_services

pytestmark = pytest.mark.django_db

# Markers of the private items, and who may see each (besides lab staff, who see all but
# what nobody may see).
PRIVATE_POST = "Marker-private-post"  # a post in the cohort's private space
PRIVATE_TOPIC = "Marker-private-topic"  # that topic's title
REMOVED_POST = "Marker-removed-post"  # hidden by a moderator: nobody
DELETED_POST = "Marker-deleted-post"  # deleted by its author: nobody
HIDDEN_NAME = "Marker Hidden Person"  # a profile set to "only me and lab staff"
ALUMNI_NAME = "Marker Alumni Only"  # a profile set to "alumni only"
DRAFT = "Marker-draft-offering"  # a draft offering someone holds a place in
MEETING_LINK = "https://meet.example.gov/marker-link"  # for people going only
HIDDEN_EMAIL = "marker.hidden@example.gov"  # nobody's address shows to another
FEEDBACK = "Marker-feedback-answer"  # a person's own answer: theirs alone, lab staff too

PEOPLE = [
    "visitor", "member", "applicant", "waitlisted", "declined", "withdrawn", "confirmed",
    "completed", "alumnus", "hidden", "staff", "former staff",
]  # fmt: skip
MEMBERS_OF_THE_COHORT = {"confirmed", "completed", "hidden"}
ALUMNI = {"completed", "alumnus", "hidden"}

AUDIENCE = {
    PRIVATE_POST: MEMBERS_OF_THE_COHORT | {"staff"},
    PRIVATE_TOPIC: MEMBERS_OF_THE_COHORT | {"staff"},
    REMOVED_POST: set(),
    DELETED_POST: set(),
    HIDDEN_NAME: {"hidden", "staff"},
    ALUMNI_NAME: ALUMNI | {"staff"},
    DRAFT: {"staff"},
    MEETING_LINK: {"completed"},  # the one who answered "going"
    HIDDEN_EMAIL: {"hidden"},
    FEEDBACK: {"completed"},
}
# Lab staff see every private item above except a person's own outcome answers (they see
# figures over five people or more, and free text only for such groups).
NOT_FOR_STAFF = {FEEDBACK}


def world():
    """The cohort, its people and their private things, made through the services."""
    now = timezone.now()
    programme = factories.programme(
        title="Transfo", enrolment_policy=Policy.APPLICATION, capacity=1
    )
    cohort = services.cohort_create(cohort=Cohort(name="Spring", programme=programme))
    staff = factories.lab_staff(display_name="Lab Person")
    people = {"staff": staff}
    for name in PEOPLE:
        if name in ("visitor", "staff"):
            continue
        people[name] = factories.user(
            display_name=f"Person {name}", date_joined=now - timedelta(days=90)
        )
    people["hidden"].display_name = HIDDEN_NAME
    people["hidden"].email = HIDDEN_EMAIL
    people["hidden"].visibility = Visibility.HIDDEN
    people["hidden"].save()
    # Lab staff once, then removed from the group from the group's side.
    people["former staff"] = factories.lab_staff(display_name="Person former staff")
    lab_staff_group_sync().user_set.remove(people["former staff"])

    def place(name, then=None):
        enrolment, _ = learning_services.enrolment_place(
            user=people[name], target=programme, by=staff, cohort=cohort
        )
        if then:
            then(enrolment)
        return enrolment

    # The cohort's members (a bigger programme for them) and those who only applied.
    programme.capacity = 10
    programme.save()
    for name in ("confirmed",):
        place(name)
    for name in ("completed", "hidden"):
        place(name, lambda e: learning_services.enrolment_complete(enrolment=e, by=staff))
    for name, then in [
        ("applicant", None),
        ("waitlisted", "waitlist"),
        ("declined", "decline"),
        ("withdrawn", "withdraw"),
    ]:
        enrolment = learning_services.enrolment_create(
            user=people[name], target=programme, motivation="Please", cohort=cohort
        )
        if then == "waitlist":
            learning_services.enrolment_waitlist(enrolment=enrolment, by=staff)
        elif then == "decline":
            learning_services.enrolment_decline(enrolment=enrolment, by=staff)
        elif then == "withdraw":
            learning_services.enrolment_withdraw(enrolment=enrolment, by=people[name])
    other = factories.programme(title="Elsewhere")
    for person in people.values():
        person.refresh_from_db()
    alumnus = people["alumnus"]
    enrolment, _ = learning_services.enrolment_place(user=alumnus, target=other, by=staff)
    learning_services.enrolment_complete(enrolment=enrolment, by=staff)
    alumnus.refresh_from_db()
    alumnus.display_name, alumnus.visibility = ALUMNI_NAME, Visibility.ALUMNI
    alumnus.save()

    # The private space, a post in it everyone once heard of (notifications made while
    # the rules were wrong), and posts removed in an open space.
    space = Space.objects.get(cohort=cohort)
    topic = services.topic_create(
        space=space, author=staff, title=PRIVATE_TOPIC, kind="discussion", body=PRIVATE_POST
    )
    post = topic.posts.get()
    Notification.objects.bulk_create(
        Notification(user=person, kind="topic", post=post) for person in people.values()
    )
    open_space = Space.objects.create(name="Open", slug="open")
    open_topic = services.topic_create(
        space=open_space, author=people["member"], title="Open talk", kind="discussion",
        body="Hello everyone",
    )  # fmt: skip
    # The hidden person speaks in the open space: members read the post, not the name.
    services.post_reply(topic=open_topic, author=people["hidden"], body="Agreed, @person-member")
    removed = services.post_reply(topic=open_topic, author=people["member"], body=REMOVED_POST)
    services.post_hide(post=removed, by=staff, reason="Off topic")
    deleted = services.post_reply(topic=open_topic, author=people["member"], body=DELETED_POST)
    services.post_delete(post=deleted, by=people["member"])

    # A draft offering the confirmed person holds a place in, with a session.
    draft = factories.offering(title=DRAFT, status=Publication.PUBLISHED)
    learning_services.enrolment_place(user=people["confirmed"], target=draft, by=staff)
    draft.status = Publication.DRAFT
    learning_services.offering_update(offering=draft)

    # A meeting of the programme: its online link is for the one who is going.
    start = now + timedelta(days=10)
    meeting = Meeting.objects.create(
        programme=programme, title="Inter-Transfo", starts_at=start,
        ends_at=start + timedelta(hours=2), status=Meeting.Status.SCHEDULED,
        online_link=MEETING_LINK,
    )  # fmt: skip
    services.meeting_rsvp(meeting=meeting, user=people["completed"], answer=Rsvp.Answer.GOING)
    services.meeting_rsvp(meeting=meeting, user=people["hidden"], answer=Rsvp.Answer.MAYBE)

    # The hidden person is a change agent who told a toolkit story.
    factories.change_agent(user=people["hidden"])
    toolkit = factories.toolkit()
    toolkit_services.toolkit_use_record(
        toolkit=toolkit, user=people["hidden"], context="Housing", story="It went well."
    )
    # The completed person's feedback on the programme: theirs alone.
    place = learning_policy.completed_enrolments().get(
        user=people["completed"], programme=programme
    )
    learning_services.feedback_save(
        enrolment=place, user=people["completed"],
        data={"usefulness": 4, "recommend": 9, "will_use": FEEDBACK, "missing": ""},
    )  # fmt: skip
    for person in people.values():
        services.calendar_token_reset(user=person)
    return {
        "people": people, "programme": programme, "cohort": cohort, "space": space,
        "topic": topic, "post": post, "open_topic": open_topic, "removed": removed,
        "deleted": deleted, "draft": draft, "meeting": meeting, "toolkit": toolkit,
    }  # fmt: skip


def page(client, path, **headers):
    response = client.get(path, **headers)
    return response.content.decode() if response.status_code == 200 else ""


# place -> how to read it as (client, person or None, world): the text the person gets.
PLACES = {
    "private topic": lambda c, p, w: page(c, w["topic"].get_absolute_url()),
    "private space": lambda c, p, w: page(c, w["space"].get_absolute_url()),
    "forums": lambda c, p, w: page(c, "/community/forums/"),
    "open topic": lambda c, p, w: page(c, w["open_topic"].get_absolute_url()),
    "quote a removed post": lambda c, p, w: page(
        c, f"{w['open_topic'].get_absolute_url()}?quote={w['removed'].pk}"
    ),
    "flag pages (a removed post, a private one)": lambda c, p, w: page(
        c, f"/community/posts/{w['removed'].pk}/flag/"
    )
    + page(c, f"/community/posts/{w['post'].pk}/flag/"),
    "search": lambda c, p, w: page(c, "/community/search/?q=Marker"),
    "directory": lambda c, p, w: page(c, "/community/people/"),
    "directory by cohort": lambda c, p, w: page(c, f"/community/people/?cohort={w['cohort'].pk}"),
    "hidden profile": lambda c, p, w: page(c, w["people"]["hidden"].get_absolute_url()),
    "notifications": lambda c, p, w: page(c, "/community/notifications/") + page(c, "/"),
    "meetings": lambda c, p, w: page(c, "/community/meetings/")
    + page(c, w["meeting"].get_absolute_url()),
    "meeting calendar file": lambda c, p, w: page(
        c, f"{w['meeting'].get_absolute_url()}calendar.ics"
    ),
    "calendar feed": lambda c, p, w: page(
        c, f"/community/meetings/feed/{p.calendar_token}.ics"
    ) if p else "",
    "my learning and its calendar": lambda c, p, w: page(c, "/learning/mine/")
    + page(c, "/learning/mine/calendar.ics"),
    "draft offering": lambda c, p, w: page(c, w["draft"].get_absolute_url()),
    "catalogue and its htmx fragment": lambda c, p, w: page(c, "/learning/")
    + page(c, "/learning/?mode=class", HTTP_HX_REQUEST="true"),
    "reach": lambda c, p, w: page(c, "/community/reach/") + page(c, "/community/"),
    "toolkit page": lambda c, p, w: page(c, w["toolkit"].get_absolute_url()),
    "lab staff's outcome figures, CSV and admin panels": lambda c, p, w: page(
        c, "/learning/staff/"
    )
    + page(c, "/learning/staff/outcomes.csv")
    + page(c, "/learning/staff/outcome-comments.csv")
    + page(c, f"/admin/learning/programme/{w['programme'].pk}/change/")
    + page(c, f"/admin/learning/cohort/{w['cohort'].pk}/change/"),
    "a person's outcome pages": lambda c, p, w: "".join(
        page(c, f"/learning/mine/{e.pk}/{step}/")
        for e in w["programme"].enrolments.all()
        for step in ("rate", "feedback", "follow-up")
    ),
    "data export": lambda c, p, w: json.dumps(personal_data_export(user=p), ensure_ascii=False)
    if p else "",
}  # fmt: skip

PAIRS = len(PEOPLE) * (len(PLACES) + 2)  # the places above, plus e-mails and digests


def readers(w):
    for name in PEOPLE:
        client = Client()
        person = w["people"].get(name)
        if person is not None:
            client.force_login(person)
        yield name, person, client


# A person's own records stay theirs: the data export lists their removed posts and their
# place in an offering the lab has put back to draft.
OWN = {
    ("member", "data export"): {REMOVED_POST, DELETED_POST},
    ("confirmed", "data export"): {DRAFT},
}


def leaks(name, place, text):
    return [
        f"{name} sees {marker!r} on {place}"
        for marker, audience in AUDIENCE.items()
        if marker in text
        and name not in audience
        and not (name == "staff" and audience and marker not in NOT_FOR_STAFF)
        and marker not in OWN.get((name, place), ())
    ]


@pytest.mark.parametrize("pairs", [f"{len(PEOPLE)}-people-x-{len(PLACES) + 2}-places-{PAIRS}"])
def test_nobody_sees_what_is_not_theirs(pairs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = world()
    found, seen, answered = [], set(), set()
    for (name, person, client), (place, read) in itertools.product(readers(w), PLACES.items()):
        text = read(client, person, w)
        found += leaks(name, place, text)
        seen |= {(name, marker) for marker in AUDIENCE if marker in text}
        answered |= {place} if text else set()
    # Every place answered someone (a wrong path would read as "nothing leaks").
    assert answered == set(PLACES), set(PLACES) - answered
    # E-mails: a new post in the private space, then the cohort's digest.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(topic=w["topic"], author=w["people"]["staff"], body=PRIVATE_POST)
    with django_capture_on_commit_callbacks(execute=True):
        cohort_digest_send_now(cohort=w["cohort"], by=w["people"]["staff"])
    emails = {}
    for message in mail.outbox:
        html = "".join(content for content, _type in getattr(message, "alternatives", []))
        emails.setdefault(message.to[0], "")
        emails[message.to[0]] += message.subject + message.body + html
    for name, person, _client in readers(w):
        if person is not None:
            found += leaks(name, "e-mails and digests", emails.get(person.email, ""))
    assert not found, "\n".join(found)
    # The markers do show where they should (the matrix is not passing on empty pages).
    for expected in [
        ("confirmed", PRIVATE_POST), ("completed", PRIVATE_TOPIC), ("staff", HIDDEN_NAME),
        ("hidden", HIDDEN_NAME), ("completed", ALUMNI_NAME), ("staff", DRAFT),
        ("completed", MEETING_LINK), ("hidden", HIDDEN_EMAIL), ("completed", FEEDBACK),
    ]:  # fmt: skip
        assert expected in seen, f"{expected[0]} should see {expected[1]!r} somewhere"
    print(f"leak matrix: {PAIRS} (person, place) pairs checked")
