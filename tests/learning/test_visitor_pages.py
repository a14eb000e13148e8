"""The catalogue, an offering's and a programme's page as every visitor sees them: their
bodies are kept (learning.visitors) under the version the database keeps of what they
show (innolab.versions), so any committed write shows at once, and the clock is heeded.

Versions change when a write commits, so these tests commit (transaction=True)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innolab import fragments, versions
from learning import selectors, services
from learning.apps import CATALOGUE
from learning.models import Offering
from tests import factories
from toolkits import services as services_toolkits

pytestmark = pytest.mark.django_db(transaction=True)

# Read by the kept pages, yet no write to them changes what a visitor is shown.
NOT_SHOWN = {
    "django_content_type": "written by migrate alone",
    "community_user": "a visitor is never shown a person (community.accounts.policy.can_see)",
    "toolkits_dailydownloads": "downloads are a slot, filled for each request",
}


def queries(client, path, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == 200, path
    return response.content.decode(), captured.captured_queries


def test_a_visitors_catalogue_is_kept_and_answered_with_one_query(client):
    factories.offering(title="Design sprint")
    first, cold = queries(client, "/learning/")
    again, warm = queries(client, "/learning/")
    assert "Design sprint" in first and len(cold) > 3
    assert len(warm) == 1 and "innolab_data_version" in warm[0]["sql"]
    assert again == first.replace(*_tokens(first, again))  # the same but for the token
    # Another visitor is given the same body, with their own token for the language form.
    other, _queries = queries(Client(), "/learning/")
    assert "Design sprint" in other and _token(other) != _token(first)
    kept = " ".join(" ".join(value[0]) for value in fragments.bodies._data.values())
    assert kept and "csrfmiddlewaretoken" not in kept


def _token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _tokens(first, again):
    return _token(first), _token(again)


def test_every_write_shows_at_once(client, member):
    offering = factories.offering(title="Old title", capacity=2)
    path = offering.get_absolute_url()
    assert "Old title" in queries(client, "/learning/")[0]
    assert "2 places left" in queries(client, path)[0]
    Offering.objects.filter(pk=offering.pk).update(title="New title")  # as the admin would
    assert "New title" in queries(client, "/learning/")[0]
    services.enrolment_create(user=member, target=offering)
    page = queries(client, path)[0]
    assert "1 place left" in page and "New title" in page


def test_the_clock_closes_enrolment_with_no_write(client, monkeypatch):
    now = timezone.now()
    offering = factories.offering(application_deadline=now + timedelta(hours=2))
    path = offering.get_absolute_url()
    assert "Log in to enrol" in queries(client, path)[0]
    assert "Log in to enrol" in queries(client, path)[0]  # kept
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=3))
    page = queries(client, path)[0]
    assert "Closed: enrolment is not open." in page and "Log in to enrol" not in page


def test_the_next_change_by_the_clock():
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    assert selectors.catalogue_changes_at(now) <= midnight + timedelta(days=1)
    factories.offering(application_deadline=now + timedelta(minutes=5))
    factories.offering(application_deadline=now - timedelta(minutes=5))
    assert selectors.catalogue_changes_at(now) == now + timedelta(minutes=5)


def test_a_signed_in_reader_sees_their_own_state_not_the_visitors(member, member_client):
    client = Client()
    offering = factories.offering(title="Open class")
    path = offering.get_absolute_url()
    assert "Log in to enrol" in queries(client, path)[0]
    page = queries(member_client, path)[0]
    assert "Log in to enrol" not in page and ">Enrol</button>" in page
    services.enrolment_create(user=member, target=offering)
    assert "You are confirmed." in queries(member_client, path)[0]
    assert "Log in to enrol" in queries(client, path)[0]


def test_with_kept_bodies_turned_off_each_visit_is_rendered_and_reads_no_version(
    client, monkeypatch
):
    """BODY_CACHE_ENTRIES=0: what `make bench` measures as a visitor's page rendered."""
    monkeypatch.setattr(fragments.bodies, "entries", 0)
    offering = factories.offering(title="Open class", capacity=3)
    path = offering.get_absolute_url()
    _first, asked = queries(client, path)
    again, asked_again = queries(client, path)
    assert "Open class" in again and "3 places left" in again
    assert len(asked_again) == len(asked) > 1
    assert not any("innolab_data_version" in query["sql"] for query in asked + asked_again)
    assert not fragments.bodies._data


def test_unknown_parameters_share_the_kept_page_and_stay_out_of_its_links(client):
    for n in range(25):
        factories.offering(title=f"Offering {n}")
    queries(client, "/learning/?mode=class")
    page, warm = queries(client, "/learning/?mode=class&utm_source=junk")
    assert len(warm) == 1
    body = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "page=2" in body and "utm_source" not in body


@pytest.mark.parametrize(
    "query", ["?q=sprint", f"?tag={'x' * 41}", "?page=abc", "?mode=class&mode=project"]
)
def test_searches_and_addresses_no_link_makes_are_not_kept(client, query):
    factories.offering(title="Design sprint")
    queries(client, "/learning/" + query)
    _page, again = queries(client, "/learning/" + query)
    assert len(again) > 1
    assert not fragments.bodies._data


def test_a_draft_is_not_found_until_published(client):
    draft = factories.offering(status="draft")
    path = draft.get_absolute_url()
    assert client.get(path).status_code == 404
    assert client.get(path).status_code == 404
    Offering.objects.filter(pk=draft.pk).update(status="published")
    assert client.get(path).status_code == 200


def test_each_language_has_its_own_kept_page(client):
    factories.offering()
    assert "Find a way to learn" in queries(client, "/learning/")[0]
    french = queries(client, "/learning/", HTTP_ACCEPT_LANGUAGE="fr")[0]
    assert "Trouver une façon d’apprendre" in french


def test_the_kept_pages_read_only_tables_whose_writes_give_a_new_version(client):
    """If a page kept for visitors read a table no trigger watches, a write to it would
    not show: every table these pages read must be watched (learning/apps.py)."""
    offering = factories.offering(
        tags=["service-design"], programme=factories.programme(), mode="project",
        sponsor=factories.organisation(),
    )  # fmt: skip
    offering.capabilities.add(factories.capability())
    start = timezone.now() + timedelta(days=9)
    offering.sessions.create(starts_at=start, ends_at=start + timedelta(hours=2))
    factories.offering(tags=["service-design"], mode="class")  # pairs well with it
    toolkit = factories.toolkit(tags=["service-design"])
    toolkit.related_offerings.add(offering)
    toolkit.capabilities.add(factories.capability())
    factories.toolkit_file(toolkit)
    services_toolkits.toolkit_use_record(
        toolkit=toolkit, user=factories.user(), context="Lyon", story="It worked."
    )
    read = set()
    for path in [
        "/learning/",
        "/learning/?mode=class&tag=service-design&open_only=on",
        "/learning/?mode=toolkit",
        offering.get_absolute_url(),
        offering.programme.get_absolute_url(),
        "/toolkits/",
        "/toolkits/?tag=service-design&licence=CC-BY-4.0",
        toolkit.get_absolute_url(),
    ]:
        fragments.bodies.clear()
        for query in queries(client, path)[1]:
            read |= set(re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"]))
    assert read - set(NOT_SHOWN) <= versions.watched_tables(CATALOGUE)
    assert {"learning_offering", "toolkits_toolkit", "toolkits_methodcard"} <= read


def test_junk_cannot_flood_the_kept_pages_nor_a_visitors_download_empty_them(client, monkeypatch):
    monkeypatch.setattr(fragments, "bodies", fragments.FragmentCache(entries=5))
    factories.offering()
    for n in range(20):
        client.get(f"/learning/?tag=junk-{n}")
    assert len(fragments.bodies) == 5
    toolkit = factories.toolkit()
    factories.toolkit_file(toolkit)
    queries(client, "/learning/")
    assert client.get(reverse("toolkits:download", args=[toolkit.slug])).status_code == 200
    assert len(queries(client, "/learning/")[1]) == 1  # still kept


def test_a_programmes_page_is_kept_for_visitors_and_shows_a_new_step_at_once(client):
    programme = factories.programme(title="La Transfo")
    factories.offering(title="First step", programme=programme)
    path = programme.get_absolute_url()
    page = queries(client, path)[0]
    assert "La Transfo" in page and "First step" in page and "Log in to enrol" in page
    assert len(queries(client, path)[1]) == 1
    factories.offering(title="Second step", programme=programme)
    assert "Second step" in queries(client, path)[0]


def test_a_kept_title_is_escaped(client):
    offering = factories.offering(title="Maps & <b>journeys</b>")
    for _ in range(2):  # rendered, then kept
        page = queries(client, offering.get_absolute_url())[0]
        assert "<title>Maps &amp; &lt;b&gt;journeys&lt;/b&gt; · innolab</title>" in page
