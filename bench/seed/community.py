"""Benchmark data at scale: organisations and people first, then, once learning and
toolkits have seeded theirs, forums, meetings and change agents. Deterministic (fixed
random seeds), bulk-loaded with COPY, one password hash for everyone."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from bench.seed import PASSWORD, SCALES, bulkload
from community.models import (
    ChangeAgent,
    Meeting,
    Organisation,
    Post,
    Reaction,
    Rsvp,
    Space,
    SpreadActivity,
    Topic,
    User,
)
from learning.models import Cohort, Programme


def seed_people(*, scale, log=print):
    sizes = SCALES[scale]
    rng = random.Random(1)
    text = bulkload.Text(seed=1)
    now = timezone.now()
    n_orgs = max(50, sizes["members"] // 100)
    org_id = bulkload.next_id(Organisation)
    kinds = ["ministry", "local_authority", "agency", "agency", "innovation_lab"]
    bulkload.copy_model(
        Organisation,
        (
            {"id": org_id + i, "name": f"{text.title()} {kinds[i % 5].replace('_', ' ')} {i}",
             "kind": kinds[i % 5]}
            for i in range(n_orgs)
        ),
    )  # fmt: skip
    log(f"  organisations: {n_orgs}")
    password = make_password(PASSWORD)
    user_id = bulkload.next_id(User)
    visibilities = ["members"] * 8 + ["alumni", "hidden"]

    def people():
        for i in range(sizes["members"]):
            alumnus = i < 2 or rng.random() < 0.4
            yield {
                "id": user_id + i,
                "password": password,
                "email": f"member{i + 1}@bench.innolab.test",
                "handle": f"member-{i + 1}",
                "display_name": text.name(),
                "job_title": text.title()[:100],
                "country": "FR",
                "time_zone": "Europe/Paris",
                "preferred_language": "en",
                "is_superuser": False,
                "is_staff": False,
                "is_active": True,
                "date_joined": now - timedelta(days=rng.randint(1, 900)),
                "organisation_id": org_id + rng.randrange(n_orgs),
                "alumnus_since": now - timedelta(days=rng.randint(1, 800)) if alumnus else None,
                "visibility": "members" if i < 2 else rng.choice(visibilities),
                "open_to_advice": rng.random() < 0.3,
                "bio": text.paragraph(1, 2),
            }

    count = bulkload.copy_model(User, people())
    bulkload.reset_sequences(Organisation, User)
    log(f"  members: {count}")


def seed_activity(*, scale, log=print):
    """Forum spaces (open, alumni, one per cohort), topics and posts with search vectors,
    reactions, meetings with RSVPs, change agents and their spread log."""
    sizes = SCALES[scale]
    rng = random.Random(2)
    text = bulkload.Text(seed=2)
    now = timezone.now()
    users = list(
        User.objects.filter(email__endswith="@bench.innolab.test").values_list("pk", flat=True)
    )
    alumni = list(
        User.objects.filter(
            email__endswith="@bench.innolab.test", alumnus_since__isnull=False
        ).values_list("pk", "organisation_id")
    )

    space_id = bulkload.next_id(Space)
    spaces = [
        {"id": space_id + i, "name": f"{text.title()} {i}", "slug": f"bench-space-{i}",
         "audience": "members" if i < 12 else "alumni", "position": i}
        for i in range(16)
    ]  # fmt: skip
    cohorts = list(Cohort.objects.values_list("pk", "name"))
    spaces += [
        {"id": space_id + 16 + n, "name": name[:150], "slug": f"bench-cohort-{pk}",
         "audience": "private", "position": 100, "cohort_id": pk}
        for n, (pk, name) in enumerate(cohorts)
    ]  # fmt: skip
    bulkload.copy_model(Space, ({"cohort_id": None, **row} for row in spaces))
    open_spaces = [row["id"] for row in spaces if row["audience"] != "private"]
    private = [row["id"] for row in spaces if row["audience"] == "private"]
    log(f"  forum spaces: {len(spaces)}")

    n_topics = max(1, sizes["posts"] // 10)
    topic_id = bulkload.next_id(Topic)
    post_id = bulkload.next_id(Post)
    kinds = ["discussion"] * 5 + ["question"] * 3 + ["experience"] * 2
    topics = []
    # Every topic gets one post; the rest are spread with a long tail (a few busy topics).
    extra = [0] * n_topics
    for _ in range(sizes["posts"] - n_topics):
        extra[min(int(rng.paretovariate(1.2)) - 1, n_topics - 1) if rng.random() < 0.2
              else rng.randrange(n_topics)] += 1  # fmt: skip
    # Posts stream straight into a staging table (a million would not fit comfortably
    # in memory), from which one INSERT computes the search vector (titles weigh more
    # than bodies, as community.services.forums keeps it). Topics are collected on the way.
    counter = {"posts": 0}

    def stream_posts():
        next_post = post_id
        for t in range(n_topics):
            started = now - timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60))
            kind = rng.choice(kinds)
            author = rng.choice(users)
            title = text.title()[:200]
            last = started
            for p in range(1 + extra[t]):
                at = started + timedelta(minutes=p * rng.randint(5, 600))
                last = max(last, at)
                body = text.paragraph()
                yield (next_post, t + topic_id, author if p == 0 else rng.choice(users),
                       body, f"<p>{escape(body)}</p>", at, title)  # fmt: skip
                next_post += 1
            space = (
                rng.choice(private) if private and rng.random() < 0.1 else rng.choice(open_spaces)
            )
            topics.append({
                "id": topic_id + t, "space_id": space, "title": title, "kind": kind,
                "author_id": author, "created_at": started, "last_activity_at": last,
                "pinned": False, "locked": False,
                "context": text.paragraph(1, 2) if kind == "experience" else "",
                "failed": text.paragraph(1, 2) if kind == "experience" else "",
                "lessons": text.paragraph(1, 2) if kind == "experience" else "",
                "accepted_post_id": None, "related_offering_id": None, "related_toolkit_id": None,
            })  # fmt: skip
        counter["posts"] = next_post - post_id

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_post_stage (id bigint, topic_id bigint, author_id bigint, "
            "body text, body_html text, created_at timestamptz, title text)"
        )
    bulkload.copy(
        "bench_post_stage",
        ["id", "topic_id", "author_id", "body", "body_html", "created_at", "title"],
        stream_posts(),
        chunk=50_000,
    )
    bulkload.copy_model(Topic, topics)
    log(f"  topics: {len(topics)}")
    next_post = post_id + counter["posts"]
    table = Post._meta.db_table  # from the model, never from input
    insert = (
        f"INSERT INTO {table} (id, topic_id, author_id, body, body_html, created_at, "  # nosec B608
        "hidden_reason, notified_at, search_vector) "
        "SELECT id, topic_id, author_id, body, body_html, created_at, '', created_at, "
        "setweight(to_tsvector('simple', title), 'A') "
        "|| setweight(to_tsvector('simple', body), 'B') FROM bench_post_stage"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert)
        cursor.execute("DROP TABLE bench_post_stage")
    log(f"  posts: {counter['posts']} (with search vectors)")

    helpful = set()
    while len(helpful) < counter["posts"] // 5:
        helpful.add((rng.randrange(post_id, next_post), rng.choice(users)))
    reaction_id = bulkload.next_id(Reaction)
    bulkload.copy_model(
        Reaction,
        ({"id": reaction_id + i, "post_id": p, "user_id": u, "created_at": now}
         for i, (p, u) in enumerate(sorted(helpful))),
    )  # fmt: skip
    log(f"  helpful marks: {len(helpful)}")

    programmes = list(Programme.objects.values_list("pk", flat=True))
    meeting_id = bulkload.next_id(Meeting)
    meetings = []
    for n, programme in enumerate(programmes):
        for k, days in enumerate((-120, 40)):
            start = (now + timedelta(days=days + n % 20)).replace(minute=0, second=0)
            meetings.append({
                "id": meeting_id + 2 * n + k, "programme_id": programme, "series_id": None,
                "title": f"Inter-{text.title()}"[:200], "starts_at": start,
                "ends_at": start + timedelta(hours=3), "format": "hybrid",
                "venue": "Paris", "status": "held" if days < 0 else "scheduled",
                "capacity": 80,
            })  # fmt: skip
    bulkload.copy_model(Meeting, meetings)
    rsvp_id = bulkload.next_id(Rsvp)
    rsvps = (
        {(m["id"], rng.choice(alumni)[0]) for m in meetings for _ in range(30)} if alumni else set()
    )
    bulkload.copy_model(
        Rsvp,
        ({"id": rsvp_id + i, "meeting_id": m, "user_id": u, "answer": "yes", "waitlisted": False,
          "answered_at": now} for i, (m, u) in enumerate(sorted(rsvps))),
    )  # fmt: skip
    log(f"  meetings: {len(meetings)}, RSVPs: {len(rsvps)}")

    agents = alumni[: max(1, len(users) // 25)]
    agent_id = bulkload.next_id(ChangeAgent)
    bulkload.copy_model(
        ChangeAgent,
        ({"id": agent_id + i, "user_id": u, "status": "active",
          "home_agency_id": org or Organisation.objects.values_list("pk", flat=True).first(),
          "designated_on": (now - timedelta(days=300)).date(), "commitment": text.paragraph(1, 1)}
         for i, (u, org) in enumerate(agents)),
    )  # fmt: skip
    activity_id = bulkload.next_id(SpreadActivity)
    spread_kinds = ["workshop", "project", "coaching", "adoption", "talk", "other"]
    activities = (
        {"id": activity_id + 5 * i + k, "change_agent_id": agent_id + i,
         "kind": spread_kinds[(i + k) % 6],
         "happened_on": (now - timedelta(days=rng.randint(1, 700))).date(),
         "agency_id": org, "people_reached": rng.randint(2, 60),
         "description": text.paragraph(1, 2), "created_at": now,
         "verified_at": now if rng.random() < 0.7 else None, "verified_by_id": None}
        for i, (_u, org) in enumerate(agents)
        for k in range(5)
    )  # fmt: skip
    n_activities = bulkload.copy_model(SpreadActivity, activities)
    bulkload.reset_sequences(
        Space, Topic, Post, Reaction, Meeting, Rsvp, ChangeAgent, SpreadActivity
    )
    log(f"  change agents: {len(agents)}, spread activities: {n_activities}")
