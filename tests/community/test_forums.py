"""Forums: who reads what, safe Markdown, writing, reactions, answers, moderation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from community import selectors, services
from community.accounts import services as account_services
from community.accounts.errors import RateLimited
from community.accounts.markup import render_markdown
from community.models import ModerationAction, Post, Space, Topic
from learning.models import Cohort, Enrolment
from tests import factories

pytestmark = pytest.mark.django_db


def space(audience="members", **fields):
    n = Space.objects.count() + 1
    return Space.objects.create(
        name=fields.pop("name", f"Space {n}"), slug=f"space-{n}", audience=audience, **fields
    )


def old_user(**fields):
    """A member past the new-account posting limit."""
    person = factories.user(**fields)
    person.date_joined = timezone.now() - timedelta(days=60)
    person.save()
    return person


def topic(where=None, author=None, **kwargs):
    kwargs.setdefault("title", "A topic")
    kwargs.setdefault("kind", "discussion")
    kwargs.setdefault("body", "Hello")
    return services.topic_create(space=where or space(), author=author or old_user(), **kwargs)


# --- visibility ------------------------------------------------------------------------------


def test_each_kind_of_space_is_read_by_the_right_people(client):
    offering = factories.offering()
    cohort = services.cohort_create(cohort=Cohort(name="Spring", offering=offering))
    private = cohort.space
    open_space, alumni_space = space("members"), space("alumni")
    member, alumnus, staff = old_user(), factories.alumnus(), factories.lab_staff()
    insider = old_user()
    Enrolment.objects.create(user=insider, offering=offering, cohort=cohort, status="confirmed")
    for who, readable in [
        (member, {open_space}),
        (alumnus, {open_space, alumni_space}),
        (insider, {open_space, private}),
        (staff, {open_space, alumni_space, private}),
    ]:
        client.force_login(who)
        html = client.get(reverse("community:forums")).content.decode()
        for s in (open_space, alumni_space, private):
            assert (s.name in html) == (s in readable), (who, s)
            status = client.get(s.get_absolute_url()).status_code
            assert status == (200 if s in readable else 404)


def test_private_topics_and_posts_are_not_reachable_by_outsiders(client):
    cohort = services.cohort_create(cohort=Cohort(name="Closed", offering=factories.offering()))
    private = cohort.space
    secret = topic(private, author=factories.lab_staff(), title="Secret plans")
    post = secret.posts.first()
    client.force_login(old_user())
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(reverse("community:post-flag", args=[post.pk])).status_code == 404
    assert client.post(reverse("community:post-helpful", args=[post.pk])).status_code == 404
    with pytest.raises(services.PostRefused):
        services.post_reply(topic=secret, author=old_user(), body="Let me in")


def test_forums_need_login(client):
    assert client.get(reverse("community:forums")).status_code == 302


def test_every_cohort_gets_a_private_space_from_the_admin(staff_client):
    offering = factories.offering()
    staff_client.post(
        reverse("admin:learning_cohort_add"),
        {"name": "Autumn 2027", "offering": offering.pk, "digest_months": 6},
    )
    cohort = Cohort.objects.get(name="Autumn 2027")
    assert Space.objects.get(cohort=cohort).audience == "private"


# --- safe Markdown ---------------------------------------------------------------------------


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "![x](https://evil.example/track.png)",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "[unclosed](javascript:alert(1)",
    "<<script>script>alert(1)<</script>/script>",
    '"><script>alert(1)</script>',
]


@pytest.mark.parametrize("payload", XSS)
def test_markdown_is_sanitised(payload):
    html = str(render_markdown(payload)).lower()
    # No active content survives: no script or frame tags, no event handlers or styles
    # on any tag, no link to a javascript: or data: address (text stays text).
    for bad in ("<script", "<iframe", "<img", "<svg", " onerror=", " onload=", " onclick=",
                " style=", 'href="javascript', 'href="data:', "src="):  # fmt: skip
        assert bad not in html, (payload, html)


def test_links_are_marked_nofollow_ugc_noopener():
    html = str(render_markdown("[site](https://example.gov) **bold** `code`"))
    assert 'rel="nofollow ugc noopener"' in html
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html


# --- writing -------------------------------------------------------------------------------------


def test_an_experience_needs_its_failure_and_lessons():
    with pytest.raises(ValidationError, match="where you failed"):
        topic(kind="experience", experience={"context": "c", "tried": "t", "worked": "w"})
    done = topic(
        kind="experience",
        experience={"context": "c", "tried": "t", "worked": "w", "failed": "f", "lessons": "l"},
    )
    html = done.posts.first().body_html
    assert "Where we failed" in html and "Key learning points" in html


def test_edit_keeps_history_and_delete_is_soft(client):
    author = old_user()
    t = topic(author=author, body="First version")
    post = t.posts.first()
    services.post_edit(post=post, by=author, body="Second version")
    assert post.revisions.get().body == "First version"
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, by=old_user(), body="Hijack")
    services.post_delete(post=post, by=author)
    client.force_login(old_user())
    html = client.get(t.get_absolute_url()).content.decode()
    assert "removed by its author" in html and "Second version" not in html


def test_helpful_once_per_person_not_on_own_posts():
    author, reader = old_user(), old_user()
    post = topic(author=author).posts.first()
    assert services.reaction_add(post=post, user=reader) is True
    assert services.reaction_add(post=post, user=reader) is False
    assert post.reactions.count() == 1
    with pytest.raises(services.PostRefused):
        services.reaction_add(post=post, user=author)


def test_each_post_shows_how_many_found_it_helpful(client):
    author, readers = old_user(), [old_user() for _ in range(3)]
    thread = topic(author=author, body="First")
    first = thread.posts.get()
    second = services.post_reply(topic=thread, author=author, body="Second")
    services.post_reply(topic=thread, author=author, body="Third")
    for reader in readers:
        services.reaction_add(post=second, user=reader)
    services.reaction_add(post=first, user=readers[0])
    counts = [(p.body, p.helpful) for p in selectors.topic_posts(topic=thread)]
    assert counts == [("First", 1), ("Second", 3), ("Third", 0)]
    marked = [p.marked for p in selectors.topic_posts(topic=thread, reader=readers[1])]
    assert marked == [False, True, False]
    client.force_login(readers[0])
    html = client.get(thread.get_absolute_url()).content.decode()
    assert html.count("3 found this helpful") == 1 and html.count("1 found this helpful") == 1
    # They marked the first two: the button is left only on the third.
    assert html.count("You found this helpful") == 2
    assert html.count(reverse("community:post-helpful", args=[first.pk])) == 0
    helpful_urls = [reverse("community:post-helpful", args=[p.pk]) for p in thread.posts.all()]
    assert sum(html.count(url) for url in helpful_urls) == 1


def test_marking_helpful_says_so_and_a_second_time_says_it_was_done(client):
    post = topic(author=old_user()).posts.get()
    client.force_login(old_user())
    url = reverse("community:post-helpful", args=[post.pk])
    response = client.post(url, follow=True)
    assert "Thank you: you marked this post helpful." in response.content.decode()
    assert "You found this helpful" in response.content.decode()
    response = client.post(url, follow=True)
    assert "You had already marked this post helpful." in response.content.decode()
    assert post.reactions.count() == 1


def test_question_author_or_moderator_accepts_an_answer():
    asker, helper = old_user(), old_user()
    question = topic(author=asker, kind="question")
    answer = services.post_reply(topic=question, author=helper, body="Try this")
    with pytest.raises(PermissionDenied):
        services.answer_accept(topic=question, post=answer, by=helper)
    services.answer_accept(topic=question, post=answer, by=asker)
    question.refresh_from_db()
    assert question.accepted_post == answer


def test_new_accounts_are_rate_limited_with_a_clear_message(client, settings):
    settings.FORUM_NEW_ACCOUNT_POSTS_PER_HOUR = 2
    newcomer = factories.user()
    where = space()
    t = topic(where, author=newcomer)
    services.post_reply(topic=t, author=newcomer, body="two")
    client.force_login(newcomer)
    words = "A long reply I took some time to write.\nIt must not be lost."
    response = client.post(t.get_absolute_url(), {"body": words})
    assert response.status_code == 429
    page = response.content.decode()
    assert "New accounts can post 2 times an hour" in page
    assert "Nothing was saved" in page
    assert "A long reply I took some time to write." in page  # given back to copy
    assert Post.objects.filter(author=newcomer).count() == 2


def test_older_accounts_have_an_hourly_limit_too(settings):
    settings.FORUM_POSTS_PER_HOUR = 3
    author = old_user()
    t = topic(author=author)
    services.post_reply(topic=t, author=author, body="two")
    services.post_reply(topic=t, author=author, body="three")
    with pytest.raises(RateLimited, match="You can post 3 times an hour"):
        services.post_reply(topic=t, author=author, body="four")
    later = timezone.now() + timedelta(hours=1, minutes=1)
    services.post_reply(topic=t, author=author, body="four", now=later)


def test_reply_through_the_page_with_a_quote(client):
    t = topic(body="Original idea")
    first = t.posts.first()
    replier = old_user()
    client.force_login(replier)
    form = client.get(f"{t.get_absolute_url()}?quote={first.pk}").content.decode()
    assert "&gt; Original idea" in form
    response = client.post(t.get_absolute_url(), {"body": "I agree", "quoted": first.pk})
    assert response.status_code == 302 and "#post-" in response["Location"]
    assert Post.objects.get(body="I agree").quoted == first


def test_locked_topics_refuse_replies():
    t = topic()
    services.topic_moderate(topic=t, by=factories.lab_staff(), action="lock", reason="Done")
    with pytest.raises(services.PostRefused, match="locked"):
        services.post_reply(topic=t, author=old_user(), body="late")


def test_a_topic_read_again_is_written_only_when_something_was_posted_since():
    from community.models import TopicRead

    subject, reader = topic(), old_user()
    first = timezone.now() + timedelta(seconds=1)
    services.topic_mark_read(topic_id=subject.pk, user=reader, now=first)
    services.topic_mark_read(topic_id=subject.pk, user=reader)  # nothing new: kept
    assert TopicRead.objects.get(topic=subject, user=reader).read_at == first

    later = first + timedelta(minutes=5)
    services.post_reply(topic=subject, author=old_user(), body="News", now=later)
    services.topic_mark_read(topic_id=subject.pk, user=reader, now=later + timedelta(seconds=1))
    row = TopicRead.objects.get(topic=subject, user=reader)
    assert row.read_at == later + timedelta(seconds=1)


def test_unread_marker_and_best_of(client):
    where = space()
    reader = old_user()
    t = topic(where, kind="experience", title="Helpful story",
              experience={"failed": "f", "lessons": "l", "context": "c"})  # fmt: skip
    services.reaction_add(post=t.posts.first(), user=reader)
    topic(where, title="Plain chat")
    client.force_login(reader)
    html = client.get(where.get_absolute_url()).content.decode()
    assert html.count(">New<") == 2
    client.get(t.get_absolute_url())
    assert client.get(where.get_absolute_url()).content.decode().count(">New<") == 1
    best = client.get(where.get_absolute_url(), {"view": "best"}).content.decode()
    assert "Helpful story" in best and "Plain chat" not in best


# --- moderation ----------------------------------------------------------------------------------


def test_flag_then_hide_tells_the_author_and_records_who_and_why(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    author, reporter, staff = old_user(), old_user(), factories.lab_staff()
    topic(title="Innocent topic", body="Nothing to see")
    post = topic(author=author, body="Buy my consultancy!").posts.first()
    client.force_login(reporter)
    client.post(reverse("community:post-flag", args=[post.pk]), {"reason": "Advertising"})
    client.force_login(staff)
    queue = client.get(reverse("community:moderation")).content.decode()
    assert "Advertising" in queue and "Buy my consultancy!" in queue
    assert "Nothing to see" not in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:post-moderate", args=[post.pk, "hide"]), {"reason": "Spam"})
    post.refresh_from_db()
    assert post.hidden_at is not None
    assert mailoutbox[-1].to == [author.email] and "Spam" in mailoutbox[-1].body
    action = ModerationAction.objects.get(action="hide")
    assert (action.actor, action.reason) == (staff, "Spam")
    assert "Nothing waiting" in client.get(reverse("community:moderation")).content.decode()
    client.post(reverse("community:post-moderate", args=[post.pk, "restore"]), {"reason": "Ok"})
    post.refresh_from_db()
    assert post.hidden_at is None


def test_topic_lock_pin_move_are_recorded(client):
    staff = factories.lab_staff()
    t = topic()
    other = space(name="Elsewhere")
    client.force_login(staff)
    url = reverse("community:topic-moderate", args=[t.pk])
    client.post(url, {"action": "pin", "reason": "Important"})
    client.post(url, {"action": "move", "space": other.pk, "reason": "Better fit"})
    t.refresh_from_db()
    assert t.pinned and t.space == other
    assert list(ModerationAction.objects.values_list("action", flat=True).order_by("at")) == [
        "pin",
        "move",
    ]


def test_members_cannot_moderate(client):
    t = topic()
    client.force_login(old_user())
    assert client.get(reverse("community:moderation")).status_code == 403
    post = t.posts.first()
    url = reverse("community:post-moderate", args=[post.pk, "hide"])
    assert client.post(url, {"reason": "x"}).status_code == 403


# --- budgets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_space_and_topic_pages_query_budget(client, django_assert_max_num_queries, size):
    where = space()
    people = [old_user() for _ in range(3)]
    first = None
    for n in range(size):
        t = topic(where, author=people[n % 3], title=f"Topic {n}", tags=["a", f"t{n % 3}"])
        first = first or t
        reply = services.post_reply(topic=first, author=people[(n + 1) % 3], body=f"Reply {n}")
        services.reaction_add(post=reply, user=people[n % 3]) if reply.author != people[
            n % 3
        ] else None
    client.force_login(factories.lab_staff())
    with django_assert_max_num_queries(14):
        assert client.get(where.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(first.get_absolute_url()).status_code == 200


def test_posts_are_in_the_data_export_and_stay_after_deletion():
    author = old_user(display_name="Writer")
    t = topic(author=author, body="My lesson")
    data = account_services.personal_data_export(user=author)
    assert data["forum_posts"][0]["body"] == "My lesson"
    account_services.account_delete(user=author)
    post = t.posts.first()
    post.author.refresh_from_db()
    assert post.body == "My lesson" and post.author.display_name == "Former member"


# --- following, mentions, notifications --------------------------------------------------------


def test_followers_and_mentioned_people_are_notified_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    author, follower, mentioned, bystander = (
        old_user(),
        old_user(),
        old_user(handle="mo"),
        old_user(),
    )
    where = space()
    with django_capture_on_commit_callbacks(execute=True):
        t = topic(where, author=author)
    services.follow_toggle(user=follower, topic=t)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_reply(topic=t, author=bystander, body="Asking @mo and @nobody here")
    to = sorted(m.to[0] for m in mailoutbox if "posted in" in m.subject or "mentioned" in m.subject)
    assert to == sorted([author.email, follower.email, mentioned.email])
    assert services.forum_post_notify(post_id=reply.pk) == 3  # a second run sends nothing new
    assert len([m for m in mailoutbox if m.to == [follower.email]]) == 1
    client.force_login(follower)
    html = client.get("/").content.decode()
    assert "1<span" in html.replace(" ", "")  # unread count in the header
    client.post(reverse("community:notifications"))
    assert not follower.notifications.filter(read_at__isnull=True).exists()


def test_daily_choice_gathers_posts_in_one_email(mailoutbox, django_capture_on_commit_callbacks):
    author, reader = old_user(), old_user(forum_emails="daily")
    where = space()
    services.follow_toggle(user=reader, space=where)
    with django_capture_on_commit_callbacks(execute=True):
        topic(where, author=author, title="One")
        topic(where, author=author, title="Two")
    assert not [m for m in mailoutbox if m.to == [reader.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.forum_daily_send() == 1
        assert services.forum_daily_send() == 0
    daily = [m for m in mailoutbox if m.to == [reader.email]]
    assert len(daily) == 1 and "2 new forum posts" in daily[0].subject


def test_people_who_cannot_read_a_space_are_never_notified(django_capture_on_commit_callbacks):
    cohort = services.cohort_create(cohort=Cohort(name="Closed", offering=factories.offering()))
    private = cohort.space
    outsider = old_user(handle="outsider")
    with django_capture_on_commit_callbacks(execute=True):
        topic(private, author=factories.lab_staff(), body="Hello @outsider")
    assert not outsider.notifications.exists()


# --- search ------------------------------------------------------------------------------------


def test_search_ranks_titles_first_and_never_leaks_private_posts(client):
    from django.conf import settings as django_settings

    open_space = space()
    cohort = services.cohort_create(cohort=Cohort(name="Closed", offering=factories.offering()))
    private = cohort.space
    staff = factories.lab_staff()
    letters = topic(open_space, title="Prototyping letters", body="We used paper first.")
    topic(open_space, title="Budgets", body="Prototyping helped us argue for money.")
    topic(private, author=staff, title="Prototyping secrets", body="Private prototyping notes")
    hidden = topic(open_space, title="Spam prototyping", body="Buy prototyping").posts.first()
    services.post_hide(post=hidden, by=staff, reason="Spam")
    reader = old_user()
    client.force_login(reader)
    html = client.get(reverse("community:search"), {"q": "prototyping"}).content.decode()
    assert "Prototyping secrets" not in html and "Private prototyping notes" not in html
    assert "Spam prototyping" not in html
    assert html.index("Prototyping letters") < html.index("Budgets")
    assert f'href="{letters.posts.get().get_absolute_url()}"' in html
    assert "<mark>" in html
    if django_settings.IS_POSTGRES:
        assert "<mark>prototyping</mark>" in html.lower() or "<mark>Prototyping</mark>" in html


def test_search_snippets_escape_user_content(client):
    topic(space(), title="Escaping", body="<b>bold</b> and scripts <script>x</script> here")
    client.force_login(old_user())
    html = client.get(reverse("community:search"), {"q": "scripts"}).content.decode()
    assert "<script>x" not in html and "<b>bold" not in html
    assert "<mark>scripts</mark>" in html


@pytest.mark.parametrize("size", [3, 30])
def test_search_query_budget(client, django_assert_max_num_queries, size):
    where = space()
    for n in range(size):
        topic(where, title=f"Design topic {n}", body="design design")
    client.force_login(old_user())
    with django_assert_max_num_queries(10):
        assert client.get(reverse("community:search"), {"q": "design"}).status_code == 200


def test_dismissing_flags_is_recorded_and_empties_the_queue(client):
    post = topic().posts.first()
    services.flag_create(post=post, reporter=old_user(), reason="Odd")
    staff = factories.lab_staff()
    client.force_login(staff)
    client.post(reverse("community:post-moderate", args=[post.pk, "dismiss"]), {"reason": "Fine"})
    assert ModerationAction.objects.get().action == "dismiss flags"
    assert "Nothing waiting" in client.get(reverse("community:moderation")).content.decode()


def test_edit_history_is_visible_to_moderators_in_the_admin(client):
    author = old_user()
    post = topic(author=author, body="Before").posts.first()
    services.post_edit(post=post, by=author, body="After")
    client.force_login(factories.lab_staff())
    html = client.get(reverse("admin:community_post_change", args=[post.pk])).content.decode()
    assert "Before" in html and "After" in html


def test_an_experience_can_name_where_it_came_from(client):
    offering = factories.offering(title="Design sprint class")
    where = space(audience="members")
    client.force_login(old_user())
    response = client.post(
        reverse("community:topic-new", args=[where.slug]),
        {"title": "Sprint story", "kind": "experience", "context": "c", "tried": "t",
         "worked": "w", "failed": "We skipped users", "lessons": "Test early",
         "related_offering": offering.pk},
    )  # fmt: skip
    created = Topic.objects.get(title="Sprint story")
    assert response["Location"] == created.get_absolute_url()
    assert created.related_offering == offering
    assert "Design sprint class" in client.get(created.get_absolute_url()).content.decode()


def test_moderation_never_redirects_off_site(client):
    post = topic().posts.first()
    client.force_login(factories.lab_staff())
    response = client.post(
        reverse("community:post-moderate", args=[post.pk, "dismiss"]),
        {"next": "https://evil.example/phish"},
    )
    assert response["Location"] == reverse("community:moderation")


def test_a_post_whose_notification_task_was_lost_is_notified_by_the_sweep(mailoutbox):
    """Found by the broker-outage drill: with the broker down, the post's own task was
    never queued and its followers never heard of it."""
    from community.models import Notification, OutgoingEmail

    t = topic()
    follower = old_user()
    services.follow_toggle(user=follower, topic=t)
    # No on-commit callbacks run here: as if publishing the task had failed.
    reply = services.post_reply(topic=t, author=old_user(), body="While the broker was down")
    now = timezone.now()
    assert services.forum_notify_sweep(now=now) == 0  # its own task may still come
    later = now + timedelta(minutes=3)
    assert services.forum_notify_sweep(now=later) >= 1
    assert Notification.objects.filter(user=follower, post=reply).count() == 1
    assert OutgoingEmail.objects.filter(dedupe_key=f"forum:{reply.pk}:{follower.pk}").exists()
    assert services.forum_notify_sweep(now=later) == 0  # done once
    reply.refresh_from_db()
    assert reply.notified_at is not None


def test_the_sweep_leaves_old_posts_alone():
    t = topic()
    services.follow_toggle(user=old_user(), topic=t)
    services.post_reply(topic=t, author=old_user(), body="Long ago")
    assert services.forum_notify_sweep(now=timezone.now() + timedelta(days=8)) == 0


def test_nothing_unread_costs_one_plain_query(django_assert_num_queries):
    from community import policy

    person = factories.user()
    with django_assert_num_queries(1):
        assert policy.unread_count(person) == 0
