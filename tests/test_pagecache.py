"""Pages kept in the cache (innolab.pagecache): served again without the work, never to
the wrong person, and out of date as soon as something they show changes."""

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import services as community_services
from community.accounts import services as account_services
from community.models import Space
from innolab import pagecache
from learning import services as learning_services
from tests import factories

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(captured)


def test_a_page_is_served_again_without_rendering_it():
    factories.offering(title="Design sprints")
    first, rendered = get(Client(), reverse("learning:catalogue"))
    again, cached = get(Client(), reverse("learning:catalogue"))
    assert "Design sprints" in again
    assert rendered > 0 and cached == 0

    def token(page):
        return page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    assert again.replace(token(again), "") == first.replace(token(first), "")


def test_a_change_to_what_a_page_shows_is_seen_at_once():
    offering = factories.offering(title="Design sprints", capacity=3)
    url = offering.get_absolute_url()
    assert "3 places left" in get(Client(), url)[0]
    assert "Design sprints" in get(Client(), reverse("learning:catalogue"))[0]

    offering.title = "Design sprints, second edition"
    offering.save()
    learning_services.enrolment_create(user=factories.user(), target=offering)

    page = get(Client(), url)[0]
    assert "Design sprints, second edition" in page and "2 places left" in page
    assert "second edition" in get(Client(), reverse("learning:catalogue"))[0]


def test_tags_changed_through_the_relation_refresh_the_filtered_list():
    offering = factories.offering(title="Design sprints")
    url = reverse("learning:catalogue") + "?tag=service-design"
    assert "Design sprints" not in get(Client(), url)[0]
    offering.tags.add("service-design")
    assert "Design sprints" in get(Client(), url)[0]


def test_each_person_gets_their_own_page(client):
    offering = factories.offering(title="Design sprints")
    mia, noor = factories.user(display_name="Mia"), factories.user(display_name="Noor")
    learning_services.enrolment_create(user=mia, target=offering)
    client.force_login(mia)
    get(client, reverse("learning:mine"))  # kept
    page = get(client, reverse("learning:mine"))[0]
    assert ">Design sprints</a></td>" in page and ">Mia</a>" in page
    client.force_login(noor)
    page = get(client, reverse("learning:mine"))[0]
    assert ">Design sprints</a></td>" not in page and ">Noor</a>" in page and "Mia" not in page


def test_the_unread_count_follows_notifications_written_in_bulk(
    client, django_capture_on_commit_callbacks
):
    reader, writer = factories.user(), factories.user()
    space = Space.objects.create(name="Open", slug="open")
    topic = community_services.topic_create(
        space=space, author=reader, title="Hello", kind="discussion", body="Hi"
    )
    client.force_login(reader)
    assert "unread</span>" not in get(client, reverse("community:directory"))[0]
    with django_capture_on_commit_callbacks(execute=True):
        community_services.post_reply(topic=topic, author=writer, body="Welcome")
    assert (
        '1<span class="visually-hidden"> unread</span>'
        in get(client, reverse("community:directory"))[0]
    )
    client.post(reverse("community:notifications"))
    assert "unread</span>" not in get(client, reverse("community:directory"))[0]


def test_every_visitor_gets_a_csrf_token_of_their_own():
    """The kept page holds a placeholder; each visitor's form carries their own token."""
    url = reverse("learning:catalogue")
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = get(visitor, url)[0]
        assert pagecache.CSRF_PLACEHOLDER not in page
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = visitor.post(
            reverse("set_language"),
            {"language": "en", "next": url, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302


def test_a_page_carrying_a_message_is_neither_kept_nor_reused(client):
    offering = factories.offering(title="Design sprints")
    client.force_login(factories.user())
    get(client, offering.get_absolute_url())
    response = client.post(
        reverse("learning:offering-enrol", args=[offering.slug]), {"motivation": "Keen"}
    )
    page = get(client, response.url)[0]
    assert 'class="messages"' in page
    assert 'class="messages"' not in get(client, response.url)[0]


def test_a_private_topic_is_not_shown_or_marked_read_for_an_outsider(client):
    from community.models import TopicRead

    alumni_space = Space.objects.create(name="Alumni", slug="alumni", audience="alumni")
    author = factories.lab_staff()
    topic = community_services.topic_create(
        space=alumni_space, author=author, title="Ours", kind="discussion", body="Hi"
    )
    client.force_login(author)
    assert "Ours" in get(client, topic.get_absolute_url())[0]
    client.force_login(factories.user())
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert TopicRead.objects.filter(topic=topic).count() == 1  # the author's only


def test_viewing_an_unchanged_topic_again_writes_nothing(client):
    space = Space.objects.create(name="Open", slug="open")
    topic = community_services.topic_create(
        space=space, author=factories.user(), title="Hello", kind="discussion", body="Hi"
    )
    client.force_login(factories.user())
    get(client, topic.get_absolute_url())  # rendered, kept, marked read
    with CaptureQueriesContext(connection) as captured:
        client.get(topic.get_absolute_url())
    writes = [q["sql"] for q in captured if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert not writes, writes


def test_an_account_deleted_leaves_the_directory_at_once(client):
    viewer = factories.alumnus()
    leaving = factories.alumnus(display_name="Leaving Person", visibility="members")
    client.force_login(viewer)
    assert "Leaving Person" in get(client, reverse("community:directory"))[0]
    account_services.account_delete(user=leaving)
    assert "Leaving Person" not in get(client, reverse("community:directory"))[0]


def test_a_download_updates_the_count_on_the_list():
    from toolkits import services as toolkit_services

    file = factories.toolkit_file(factories.toolkit(title="Journey maps"))
    page = get(Client(), reverse("toolkits:list"))[0]
    toolkit_services.download_record(file=file)
    assert get(Client(), reverse("toolkits:list"))[0] != page


def test_bumps_again_after_the_transaction_commits(django_capture_on_commit_callbacks):
    """A page rendered from the old rows while a change was in flight is left behind."""
    from django.db import transaction

    before = pagecache._generations(["learning"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        pagecache.bump("learning")
    during = pagecache._generations(["learning"])
    for callback in callbacks:
        callback()
    assert len(callbacks) == 1
    assert before != during != pagecache._generations(["learning"])


def test_pages_are_rendered_as_usual_when_the_cache_fails(monkeypatch):
    factories.offering(title="Design sprints")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "get_many", broken)
    assert "Design sprints" in get(Client(), reverse("learning:catalogue"))[0]
    monkeypatch.setattr(cache, "incr", broken)
    factories.offering(title="Another")  # a write still succeeds


def test_a_change_made_while_the_cache_was_down_is_seen_once_it_is_back(monkeypatch):
    offering = factories.offering(title="Design sprints")
    url = offering.get_absolute_url()
    get(Client(), url)  # kept

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    with monkeypatch.context() as outage:
        outage.setattr(cache, "incr", broken)
        outage.setattr(cache, "add", broken)
        offering.title = "Design sprints, renamed during the outage"
        offering.save()
    assert "renamed during the outage" in get(Client(), url)[0]


def test_bulk_deletes_of_models_no_page_shows_keep_their_fast_path():
    from django.contrib.sessions.models import Session
    from django.db.models.deletion import Collector

    assert Collector(using="default").can_fast_delete(Session.objects.all())


def test_every_model_says_which_pages_show_it():
    """A new model must be watched (its changes refresh pages) or declared unshown."""
    labels = {
        model._meta.label
        for app in ("community", "learning", "toolkits", "taggit")
        for model in apps.get_app_config(app).get_models()
    }
    undecided = labels - set(pagecache.WATCHED) - pagecache.UNSHOWN
    assert not undecided, f"declare these in their app's ready(): {sorted(undecided)}"
