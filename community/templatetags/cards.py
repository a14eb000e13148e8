"""The community's repeated pieces (person cards, topic rows, posts, search results), each
rendered from a dict of what it shows and kept by its content (innolab.fragments). What
depends on the reader (buttons, "New", moderation) is rendered around them, live."""

from django import template

from community.accounts import policy as people_policy
from community.models import ChangeAgent, Topic
from innolab import fragments

register = template.Library()

KIND_LABELS = dict(Topic.Kind.choices)


@register.filter
def topic_kind_label(code):
    return KIND_LABELS.get(code, code)


@register.simple_tag
def person_card(person):
    """{% person_card person %}: a person in the directory (a row it returned, so visible
    to the reader), with `tag_list` set for their expertise."""
    agent = getattr(person, "change_agent", None)
    active = agent is not None and agent.status == ChangeAgent.Status.ACTIVE
    return fragments.render(
        "community/_person_card.html",
        {
            "handle": person.handle,
            "name": person.display_name,
            "job_title": person.job_title,
            "organisation": person.organisation.name if person.organisation_id else "",
            "country": str(person.country.name) if person.country else "",
            "agent_at": agent.home_agency.name if active else "",
            "alumnus_since": person.alumnus_since.year if person.alumnus_since else None,
            "open_to_advice": person.open_to_advice,
            "advice_topics": person.advice_topics,
            "expertise": person.tag_list,
        },
    )


def _byline(reader, person):
    """(name, organisation) of `person` as `reader` may see them (community.accounts.policy):
    "A member" and no organisation for a profile hidden from them."""
    if people_policy.can_see(reader, person):
        return person.display_name, person.organisation.name if person.organisation_id else ""
    return str(people_policy.SOMEONE), ""


@register.simple_tag
def topic_row(topic, reader):
    """{% topic_row topic user %}: a topic's title, kind, author, tags and counts in a
    space's table (without the reader's "New" badge)."""
    return fragments.render(
        "community/_topic_row.html",
        {
            "pk": topic.pk,
            "title": topic.title,
            "kind": topic.kind,
            "pinned": topic.pinned,
            "locked": topic.locked,
            "author": str(people_policy.name_for(reader, topic.author)),
            "tags": topic.tag_list,
            "replies": topic.reply_count,
            "helpful": topic.helpful,
            "last_activity_at": topic.last_activity_at,
        },
    )


@register.simple_tag
def topic_post(post, topic, reader, is_moderator, first):
    """{% topic_post post topic user is_moderator forloop.first %}: who wrote a post and
    when, what it says (or that it was removed), and the buttons this reader has on it.
    The buttons depend only on where the reader stands (author, asker, moderator, has
    marked it helpful), not on who they are, so readers in the same position share the
    kept fragment; their CSRF token is in the page's one `post-actions` form, outside it."""
    quoted = post.quoted if post.quoted_id and not post.quoted.is_removed else None
    question = topic.kind == Topic.Kind.QUESTION and not first
    author, organisation = _byline(reader, post.author)
    return fragments.render(
        "community/_post_body.html",
        {
            "pk": post.pk,
            "author": author,
            "organisation": organisation,
            "created_at": post.created_at,
            "edited": post.edited_at is not None,
            "accepted": post.pk == topic.accepted_post_id,
            "hidden": post.hidden_at is not None,
            "deleted": post.deleted_at is not None,
            "quoted_author": str(people_policy.name_for(reader, quoted.author)) if quoted else "",
            "quoted_html": quoted.body_html if quoted else "",
            "body_html": post.body_html,
            "helpful": post.helpful,
            "mine": post.author_id == reader.pk,
            "marked": getattr(post, "marked", False),
            "locked": topic.locked,
            "can_accept": question and (topic.author_id == reader.pk or is_moderator),
        },
    )


@register.simple_tag
def search_result(post, reader):
    """{% search_result post user %}: a search hit, its topic and space, and the snippet."""
    return fragments.render(
        "community/_search_result.html",
        {
            "pk": post.pk,  # the link (Post.get_absolute_url) is made in the fragment
            "topic": post.topic_id,
            "title": post.topic.title,
            "space": post.topic.space.name,
            "author": str(people_policy.name_for(reader, post.author)),
            "created_at": post.created_at,
            "snippet": post.snippet,
        },
    )
