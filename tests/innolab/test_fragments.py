"""Fragments are kept by everything they show: a change shows at once, nothing personal
or stale is ever served, and the cache stays bounded."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from community.accounts.forms import FilterForm, Options
from innolab import fragments
from tests import factories

pytestmark = pytest.mark.django_db


def card(title, when=date(2026, 12, 1)):
    return fragments.render("learning/_offering_card.html", {
        "slug": "design", "title": title, "summary": "S", "starts_on": when, "ends_on": when,
        "format": "online", "lab": "Lab", "closed": False, "seats_left": 3, "tags": (),
    })  # fmt: skip


def test_a_fragment_is_kept_and_a_change_is_a_new_fragment():
    first = card("Design sprint")
    hits = fragments.cache.hits
    assert card("Design sprint") == first and fragments.cache.hits == hits + 1
    renamed = card("Design sprints")
    assert "Design sprints" in renamed and renamed != first


def test_the_language_is_part_of_the_key():
    with translation.override("en"):
        english = card("Dated", when=date(2026, 12, 1))
    with translation.override("fr"):
        french = card("Dated", when=date(2026, 12, 1))
    assert "Dec" in english and "déc" in french.lower()


def test_a_fragment_names_fields_never_objects():
    with pytest.raises(TypeError, match="names the fields"):
        fragments.key_part(factories.user())
    with pytest.raises(TypeError):
        fragments.key_part(object())
    # Rows and options are walked too: an object inside a tuple is refused as well.
    assert fragments.key_part([("a", 1), ("b", None)]) == (("a", 1), ("b", None))
    with pytest.raises(TypeError, match="names the fields"):
        fragments.key_part(("a", factories.user()))


def test_the_cache_is_bounded_and_can_be_turned_off():
    small = fragments.FragmentCache(entries=2)
    for n in range(5):
        small.set(("k", n), "v")
    assert len(small) == 2 and small.get(("k", 0)) is None and small.get(("k", 4)) == "v"
    off = fragments.FragmentCache(entries=0)
    off.set("k", "v")
    assert off.get("k") is None


def test_the_fragment_tag_keys_on_what_it_lists():
    template = Template(
        '{% load fragments %}{% fragment "greeting" name %}Hello {{ name }}{% endfragment %}'
    )
    assert template.render(Context({"name": "Ana"})) == "Hello Ana"
    assert template.render(Context({"name": "Bo"})) == "Hello Bo"


class Filters(FilterForm):
    q = forms.CharField(label="Search", required=False)
    lab = forms.ChoiceField(label="Lab", required=False, choices=[("", "Any"), ("1", "A & <B>")])
    open_only = forms.BooleanField(label="Open only", required=False)


def test_filter_forms_mark_the_choice_and_escape_labels():
    html = str(Filters({"q": "x<y", "lab": "1", "open_only": "on"}).as_filters())
    assert '<option value="1" selected>A &amp; &lt;B&gt;</option>' in html
    assert 'value="x&lt;y"' in html
    assert '<input type="checkbox" id="id_open_only" name="open_only" checked>' in html
    assert '<label for="id_lab">Lab</label>' in html
    # Another choice is another fragment.
    assert "selected" not in str(Filters({"lab": ""}).as_filters()).split("A &amp;")[0][-30:]


def test_options_are_listed_and_checked_as_given():
    class Picked(FilterForm):
        lab = forms.TypedChoiceField(
            label="Lab", required=False, coerce=int, empty_value=None,
            choices=Options([("", "Any"), (7, "Seventh lab")]),
        )  # fmt: skip

    picked = Picked({"lab": "7"})
    assert picked.is_valid() and picked.cleaned_data["lab"] == 7
    refused = Picked({"lab": "8"})
    assert not refused.is_valid() and "Select a valid choice" in str(refused.errors["lab"])
    html = str(Picked({"lab": "7"}).as_filters())
    assert '<option value="">Any</option><option value="7" selected>Seventh lab</option>' in html


class WithPassword(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput)


def test_a_form_with_a_password_is_never_kept():
    with pytest.raises(TypeError, match="password"):
        fragments.form_fields(WithPassword({"password": "secret-one"}))


def test_the_shell_shows_each_person_their_own_name_badge_and_token(client):
    ada = factories.user(display_name="Ada Lovelace")
    grace = factories.user(display_name="Grace Hopper", is_staff=True)
    pages = {}
    for person in (ada, grace, ada):
        client.force_login(person)
        pages[person.pk] = client.get("/learning/").content.decode()
        token = client.cookies["csrftoken"].value
        # The live CSRF token is inside the kept header's logout form.
        assert pages[person.pk].count('name="csrfmiddlewaretoken"') == 2
        assert token  # (a token per form, masked: compared by Django on POST)
    assert "Ada Lovelace" in pages[ada.pk] and "Grace Hopper" not in pages[ada.pk]
    assert "Grace Hopper" in pages[grace.pk] and "Ada Lovelace" not in pages[grace.pk]
    assert ">Admin<" in pages[grace.pk] and ">Admin<" not in pages[ada.pk]
    assert 'href="/learning/" aria-current="page"' in pages[ada.pk]
    client.logout()
    visitor = client.get("/learning/").content.decode()
    assert "Log in" in visitor and "Ada Lovelace" not in visitor


def test_junk_paths_add_no_kept_header(client):
    client.get("/no-such-page/")  # the header with no current entry, kept once
    kept = len(fragments.cache)
    for n in range(20):
        assert client.get(f"/no-such-page-{n}/").status_code == 404
    assert len(fragments.cache) == kept


def test_markdown_is_kept_by_its_text_and_still_sanitised():
    from community.templatetags.markup import markdown_filter

    text = "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
    first = markdown_filter(text)
    hits = fragments.cache.hits
    assert markdown_filter(text) == first and fragments.cache.hits == hits + 1
    assert "<strong>Bold</strong>" in first
    assert "<script" not in first and "javascript:" not in first
    assert "<em>" in markdown_filter(text + " *new*")  # another text, rendered anew


def test_mode_labels_name_registered_modes_too():
    from learning import registry
    from learning.templatetags.learning_cards import mode_label

    assert str(mode_label("class")) == "Taught class or seminar"
    for source in registry.sources():
        assert mode_label(source.mode) == source.label
    assert mode_label("unknown") == "unknown"


def test_a_kept_body_is_made_again_once_the_clock_reaches_its_moment():
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    made = []

    def make(until):
        made.append(until)
        return ("Title", f"<p>body {len(made)}</p>"), until

    def get(at, until=now + timedelta(minutes=1), key=1):
        return fragments.get_or_render_until("body", [key], lambda: make(until), now=at)

    assert get(now) == ("Title", "<p>body 1</p>")
    assert get(now + timedelta(seconds=59))[1] == "<p>body 1</p>"  # kept
    hits, misses = fragments.bodies.hits, fragments.bodies.misses
    assert get(now + timedelta(minutes=1))[1] == "<p>body 2</p>"  # its moment: made again
    assert (fragments.bodies.hits, fragments.bodies.misses) == (hits, misses + 1)
    assert get(now, until=None, key=2)[1] == "<p>body 3</p>"
    assert get(now + timedelta(days=999), key=2)[1] == "<p>body 3</p>"  # no moment: kept
    assert len(made) == 3


def test_slots_are_filled_escaped_and_only_made_of_names_and_keys():
    kept = f"<dd>{fragments.slot('downloads', 7)}</dd><dd>{fragments.slot('downloads', 8)}</dd>"
    assert fragments.slot_keys(kept, "downloads") == ["7", "8"]
    filled = fragments.fill_slots(kept, {"downloads": {"7": 12, "8": "<b>"}})
    assert filled == "<dd>12</dd><dd>&lt;b&gt;</dd>"
    assert fragments.fill_slots(kept, {}) == "<dd>0</dd><dd>0</dd>"
    with pytest.raises(ValueError):
        fragments.slot("downloads", "7--><script>")
