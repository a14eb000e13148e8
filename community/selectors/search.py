"""Forum search: full text on PostgreSQL, a substring match on SQLite."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from community import policy
from community.models import Post

# Snippets mark the matched words with these; the `highlight` filter turns them into
# <mark> elements after escaping everything else.
SEARCH_START, SEARCH_STOP = "\x02", "\x03"
# Only this many of the most recent matches are ranked (see forum_search).
SEARCH_CANDIDATES = 1000
# What a hit shows: its topic and space, its author's name (as the reader may see it), its
# date; the snippet is computed beside them.
HIT_FIELDS = (
    "created_at", "topic__title", "topic__space__name",
    "author__display_name", "author__visibility",
)  # fmt: skip


def _plain_snippet(body, q, width=160):
    at = body.lower().find(q.lower())
    start = max(at - width // 3, 0) if at >= 0 else 0
    piece = body[start : start + width]
    if at >= 0:
        i = at - start
        piece = piece[:i] + SEARCH_START + piece[i : i + len(q)] + SEARCH_STOP + piece[i + len(q) :]
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


def forum_search(*, user, q, limit=30):
    """Posts (with their topics) matching `q` in spaces `user` may read, best first; each
    has a `snippet` with the matches marked.

    PostgreSQL: full-text search over the GIN-indexed vector, titles weighing more than
    bodies, with highlighted snippets. SQLite: a plain substring match, titles first.
    """
    q = (q or "").strip()[:200]
    if not q:
        return []
    posts = policy.readable_posts(user).select_related("topic__space", "author")
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config="simple")
        # Ranking is capped: only the SEARCH_CANDIDATES most recent matches are ranked, so
        # a common word costs the same at a million posts as at a thousand. (PostgreSQL
        # walks the recent-posts index for a common word and the GIN index for a rare one.)
        # They are ranked as they are read: the outer query only sorts those 1,000 rows
        # (the ORM cannot select from a subquery; the rule is still readable_posts').
        candidates = (
            posts.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-created_at")
            .values_list("pk", "rank", "created_at")[:SEARCH_CANDIDATES]
        )
        sql, params = candidates.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT c.pk FROM ({sql}) c ORDER BY c.rank DESC, c.created_at DESC LIMIT %s",  # noqa: S608 # nosec B608 - the ORM's SQL, values as parameters
                [*params, limit],
            )
            best = [pk for (pk,) in cursor.fetchall()]
        # Snippets (ts_headline, costly per row) only for the posts shown; their text is
        # read by PostgreSQL for the snippet, not sent back. The rule was applied once, in
        # choosing `best`: building and planning its subqueries again would cost more than
        # the rest of this query. Only the fields a hit shows are read.
        shown = (
            Post.objects.filter(pk__in=best)
            .select_related("topic__space", "author")
            .only(*HIT_FIELDS)
            .annotate(
                snippet=SearchHeadline(
                    "body",
                    query,
                    config="simple",
                    start_sel=SEARCH_START,
                    stop_sel=SEARCH_STOP,
                    max_words=35,
                    min_words=15,
                )
            )
        )
        rows = {post.pk: post for post in shown}
        return [rows[pk] for pk in best]
    rows = list(
        posts.filter(Q(body__icontains=q) | Q(topic__title__icontains=q))
        .annotate(
            rank=Case(
                When(topic__title__icontains=q, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("-rank", "-created_at")[:limit]
    )
    for row in rows:
        row.snippet = _plain_snippet(row.body, q)
    return rows
