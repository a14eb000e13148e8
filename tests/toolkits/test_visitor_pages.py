"""The toolkit list and a toolkit's page as every visitor sees them (learning.visitors):
kept under the catalogue's version, with downloads filled in for each request, so a
visitor's download shows at once without giving anyone's pages a new key.

Versions change when a write commits, so these tests commit (transaction=True)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innolab import fragments, versions
from learning.apps import CATALOGUE
from tests import factories
from toolkits import services

pytestmark = pytest.mark.django_db(transaction=True)


def get(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    body = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return body, len(captured)


def downloads(body, title):
    card = body.split(f">{title}</a>", 1)[1]
    return int(re.search(r"<dt>Downloads</dt><dd>(\d+)</dd>", card).group(1))


def test_the_list_is_kept_and_a_visitors_download_shows_at_once(client):
    toolkit = factories.toolkit(title="Street kit")
    factories.toolkit_file(toolkit)
    body, cold = get(client, "/toolkits/")
    assert downloads(body, "Street kit") == 0 and cold > 2
    body, warm = get(client, "/toolkits/")
    assert warm == 2 and "<!--slot" not in body  # the version, and the downloads
    version = versions.current(CATALOGUE)
    client.get(reverse("toolkits:download", args=[toolkit.slug]))
    client.get(reverse("toolkits:download", args=[toolkit.slug]))
    body, queries = get(client, "/toolkits/")
    assert downloads(body, "Street kit") == 2 and queries == 2
    assert versions.current(CATALOGUE) == version  # nobody's kept page was given up


def test_the_popular_order_and_free_text_are_rendered_for_each_request(client):
    factories.toolkit(title="Street kit", audience="mayors")
    for query in ["?sort=popular", "?audience=mayors", "?q=street"]:
        get(client, "/toolkits/" + query)
        body, queries = get(client, "/toolkits/" + query)
        assert "Street kit" in body and queries > 2
    assert not fragments.bodies._data


def test_a_story_shows_at_once_and_never_names_its_teller_to_a_visitor(client):
    toolkit = factories.toolkit(title="Street kit")
    teller = factories.user(display_name="Tess Teller", visibility="members")
    body, _queries = get(client, toolkit.get_absolute_url())
    assert "Nobody has told their story yet" in body
    services.toolkit_use_record(
        toolkit=toolkit, user=teller, context="Housing, Lyon", story="It worked."
    )
    body, _queries = get(client, toolkit.get_absolute_url())
    assert "It worked." in body and "Housing, Lyon" in body
    assert "Tess Teller" not in body and "A member" in body
    assert "1 person" in get(client, "/toolkits/")[0]  # "Used by" on its card


def test_a_new_version_shows_at_once_on_the_kept_page(client):
    toolkit = factories.toolkit()
    factories.toolkit_file(toolkit, version="1.0")
    get(client, toolkit.get_absolute_url())
    assert get(client, toolkit.get_absolute_url())[1] == 1  # kept
    factories.toolkit_file(toolkit, version="2.0")
    assert "Download version 2.0" in get(client, toolkit.get_absolute_url())[0]
