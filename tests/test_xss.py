"""A corpus of XSS payloads through every place that shows what people write: forum posts
and experiences, profiles, toolkit stories, advice requests, meeting reports, e-mails.

The output is parsed, not grepped: between two markers around the payload, nothing may
be an element that runs or loads code, an event-handler attribute, or a script URL.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Meeting, Space
from community.views.forums import POSTS_PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_post_limits(settings):
    """Every payload is posted by the same few people, well past an hour's limit."""
    settings.FORUM_POSTS_PER_HOUR = settings.FORUM_NEW_ACCOUNT_POSTS_PER_HOUR = 10_000


PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>/*</script><script>alert(1)//*/</script>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<img src="javascript:alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    '<svg onload="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:alert(1))",
    "![x](javascript:alert(1))",
    '[x](https://example.org "onmouseover=alert(1)")',
    "<https://example.org/?q=<script>alert(1)</script>>",
    '<div onmouseover="alert(1)">hover</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<table background="javascript:alert(1)">',
    "<isindex action=javascript:alert(1) type=image>",
    "`<img src=x onerror=alert(1)>`",
    "    <script>alert('indented code block')</script>",
    "<a href='https://example.org' onclick='alert(1)'>ok link</a>",
    "{{ request.user.email }} {% debug %}",
]

RUNNABLE = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta",
            "link", "style", "form", "input", "button", "svg", "math"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background",
                  "poster", "srcdoc", "style"}  # fmt: skip
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.I)


class Dangers(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in RUNNABLE:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            cleaned = re.sub(r"[\x00-\x20]", "", value or "")
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            elif name in URL_ATTRIBUTES and (
                SCRIPT_URL.match(cleaned) or "expression(" in cleaned.lower()
            ):
                self.found.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag


def dangers(html, begin, end):
    """What runs between the markers `begin` and `end` in `html`.

    A sanitiser drops an unclosed <style> or <script> with everything after it, end
    marker included: then the content's region ends where its container does."""
    start = html.index(begin)
    stop = html.find(end, start)
    if stop == -1:
        ends = [html.find(tag, start) for tag in ("</div>", "</blockquote>", "</li>", "</td>")]
        stop = min(at for at in ends if at != -1)
    parser = Dangers()
    parser.feed(html[start:stop])
    parser.close()
    return parser.found


def check_each(show):
    """`show(text)` puts `text` where people's words go and returns the HTML shown."""
    failures = {}
    for n, payload in enumerate(PAYLOADS):
        begin, end = f"XSSBEGIN{n}X", f"XSSEND{n}X"
        html = show(f"{begin}\n\n{payload}\n\n{end}")
        found = dangers(html, begin, end)
        if found:
            failures[payload] = found
    assert not failures, failures


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50


def test_the_checker_catches_what_it_must():
    assert dangers('A<img src=x onerror="alert(1)">B', "A", "B") == ["img onerror="]
    assert dangers('A<a href=" java\tscript:x">B', "A", "B")
    assert dangers("A<script>x</script>B", "A", "B") == ["<script>"]


def old_member(**fields):
    person = factories.user(**fields)
    person.date_joined = timezone.now() - timedelta(days=60)
    person.save()
    return person


def test_forum_posts_and_experiences(client):
    where = Space.objects.create(name="Open", slug="open")
    author = old_member()
    topic = services.topic_create(space=where, author=author, title="T", kind="discussion",
                                  body="Hello")  # fmt: skip
    client.force_login(author)

    def as_post(text):
        services.post_reply(topic=topic, author=author, body=text)
        last = (topic.posts.count() - 1) // POSTS_PER_PAGE + 1  # the reply is on the last page
        return client.get(f"{topic.get_absolute_url()}?page={last}").content.decode()

    def as_experience(text):
        experience = services.topic_create(
            space=where, author=author, title="Experience", kind="experience", body=text,
            experience={"context": text, "tried": text, "worked": text, "failed": text,
                        "lessons": text},
        )  # fmt: skip
        return client.get(experience.get_absolute_url()).content.decode()

    check_each(as_post)
    check_each(as_experience)


def test_profiles(client):
    person = factories.alumnus(display_name="Pat")
    viewer = factories.user()
    client.force_login(viewer)

    def show(text):
        person.bio = text
        person.job_title = text[:100]
        person.save()
        return client.get(person.get_absolute_url()).content.decode()

    check_each(show)


def test_toolkit_stories(client):
    from toolkits import services as toolkit_services

    toolkit = factories.toolkit()
    teller = factories.user()
    client.force_login(factories.user())

    def show(text):
        toolkit_services.toolkit_use_record(toolkit=toolkit, user=teller, context="Team",
                                            story=text)  # fmt: skip
        return client.get(toolkit.get_absolute_url()).content.decode()

    check_each(show)


def test_advice_requests(client):
    advisor = factories.alumnus(open_to_advice=True)
    client.force_login(advisor)

    def show(text):
        advice = services.advice_request_create(
            requester=factories.user(), recipient=advisor, subject="Help", message=text
        )
        return client.get(reverse("community:advice-detail", args=[advice.pk])).content.decode()

    check_each(show)


def test_meeting_reports(client):
    staff = factories.lab_staff()
    start = timezone.now() - timedelta(days=3)
    meeting = Meeting.objects.create(title="Inter-Transfo", starts_at=start,
                                     ends_at=start + timedelta(hours=2), status="held")  # fmt: skip
    client.force_login(staff)

    def show(text):
        services.meeting_report_write(meeting=meeting, by=staff, shared=text, worked=text,
                                      failed=text, followups=text)  # fmt: skip
        return client.get(meeting.get_absolute_url()).content.decode()

    check_each(show)


def test_email_bodies(mailoutbox, django_capture_on_commit_callbacks):
    advisor = factories.alumnus(open_to_advice=True)
    where = Space.objects.create(name="Followed", slug="followed")
    follower = old_member()
    services.follow_toggle(user=follower, space=where)
    author = old_member()

    def show(text):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.advice_request_create(
                requester=factories.user(), recipient=advisor, subject="Help", message=text
            )
            services.topic_create(space=where, author=author, title="New", kind="discussion",
                                  body=text)  # fmt: skip
        bodies = [m.alternatives[0][0] for m in mailoutbox if m.alternatives]
        assert len(bodies) >= 2, [m.subject for m in mailoutbox]
        return "".join(bodies)

    check_each(show)
