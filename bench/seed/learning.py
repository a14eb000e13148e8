"""Benchmark data at scale for learning (`manage.py seed_bench`): programmes, offerings of
the three modes with tags, cohorts, enrolments in every status and their audit rows."""

import random
from datetime import timedelta

from django.db.models import OuterRef
from django.utils import timezone
from django.utils.text import slugify

from bench.seed import BENCH_USER_HANDLE, SCALES, bulkload
from community.accounts.models import Organisation, User
from community.accounts.paging import counted
from learning.models import (
    Cohort,
    Enrolment,
    EnrolmentStatusChange,
    Offering,
    Programme,
)

TAGS = [
    "service design", "user research", "prototyping", "open policy", "plain language",
    "behavioural insights", "data", "co-design", "evaluation", "procurement", "digital",
    "facilitation", "systems thinking", "foresight", "inclusion", "housing", "mobility",
    "health", "education", "welfare",
]  # fmt: skip
# The benchmark person's places, the same at every scale (so her pages ask the same
# questions at S and L): a status and what the offering must be. The first is in a
# programme, so she is its alumna and its sharing meetings are hers.
BENCH_PLACES = (
    ("completed", lambda o: o["programme_id"] is not None),
    ("completed", lambda o: o["mode"] == "class"),
    ("confirmed", lambda o: o["mode"] == "project"),
    ("waitlisted", lambda o: o["mode"] == "class"),
    ("applied", lambda o: o["mode"] == "secondment"),
    ("withdrawn", lambda o: True),
)
STATUSES = (
    ["confirmed"] * 40 + ["completed"] * 35 + ["applied"] * 8 + ["waitlisted"] * 5
    + ["withdrawn"] * 7 + ["declined"] * 5
)  # fmt: skip


def tags_for(pk):
    return {TAGS[pk * 7 % len(TAGS)], TAGS[pk * 13 % len(TAGS)]}


def seed(*, scale, log=print):
    sizes = SCALES[scale]
    rng = random.Random(3)
    text = bulkload.Text(seed=3)
    now = timezone.now()
    today = timezone.localdate()
    labs = list(Organisation.objects.values_list("pk", flat=True)[:40])
    n_programmes = max(10, sizes["offerings"] // 30)
    programme_id = bulkload.next_id(Programme)
    programmes = [
        {"id": programme_id + i, "title": f"La Transfo {text.title()}"[:200],
         "slug": f"bench-programme-{i}", "summary": text.paragraph(1, 1)[:300],
         "description": text.paragraph(), "host_lab_id": labs[i % len(labs)],
         "status": "published", "starts_on": today + timedelta(days=rng.randint(-300, 300)),
         "created_at": now, "updated_at": now, "enrolment_policy": "application"}
        for i in range(n_programmes)
    ]  # fmt: skip
    bulkload.copy_model(Programme, programmes)
    bulkload.tag([p["id"] for p in programmes], tags_for, Programme)

    offering_id = bulkload.next_id(Offering)
    modes = ["class"] * 5 + ["project"] * 3 + ["secondment"] * 2
    offerings = []
    for i in range(sizes["offerings"]):
        title = text.title()[:150]
        mode = rng.choice(modes)
        starts = today + timedelta(days=rng.randint(-400, 400))
        offerings.append({
            "id": offering_id + i, "title": title, "slug": f"{slugify(title)[:150]}-{i}",
            "summary": text.paragraph(1, 1)[:300], "description": text.paragraph(3, 6),
            "host_lab_id": labs[i % len(labs)],
            "status": "published" if rng.random() < 0.9 else rng.choice(["draft", "archived"]),
            "starts_on": starts, "ends_on": starts + timedelta(days=rng.randint(1, 180)),
            "capacity": rng.choice([None, 12, 20, 30, 60]),
            "enrolment_policy": "application" if mode == "secondment"
            else rng.choice(["open", "open", "application"]),
            "created_at": now - timedelta(days=rng.randint(1, 700)), "updated_at": now,
            "mode": mode, "format": rng.choice(["in_person", "online", "hybrid"]),
            "programme_id": programme_id + i % n_programmes if rng.random() < 0.3 else None,
            "programme_position": i % 5, "language": "en",
            "location": "Paris", "cross_departmental": rng.random() < 0.3,
            "duration_months": 6 if mode == "secondment" else None,
            "circle_size": 8 if mode == "project" else None,
        })  # fmt: skip
    bulkload.copy_model(Offering, offerings)
    bulkload.tag([o["id"] for o in offerings], tags_for, Offering)
    log(f"  programmes: {n_programmes}, offerings: {len(offerings)}")

    cohort_id = bulkload.next_id(Cohort)
    cohorts = {offering_id + i: cohort_id + i for i in range(min(sizes["cohorts"], len(offerings)))}
    bulkload.copy_model(
        Cohort,
        ({"id": c, "name": f"{offerings[o - offering_id]['title']} cohort"[:200],
          "offering_id": o, "programme_id": None,
          "starts_on": offerings[o - offering_id]["starts_on"],
          "ends_on": offerings[o - offering_id]["ends_on"], "created_at": now,
          "digests_on": True, "digest_months": 6, "digest_next_on": None}
         for o, c in cohorts.items()),
    )  # fmt: skip
    log(f"  cohorts: {len(cohorts)}")

    users = list(
        User.objects.filter(email__endswith="@bench.innolab.test").values_list("pk", flat=True)
    )
    per_person = max(1, sizes["enrolments"] // len(users))
    offering_ids = [o["id"] for o in offerings]
    enrolment_id = bulkload.next_id(Enrolment)
    rows, changes = [], []

    def place(person, target, status, created):
        pk = enrolment_id + len(rows)
        rows.append({
            "id": pk, "user_id": person, "offering_id": target, "programme_id": None,
            "cohort_id": cohorts.get(target) if status in ("confirmed", "completed") else None,
            "status": status, "created_at": created, "updated_at": created,
            "waitlisted_at": created if status == "waitlisted" else None,
            "decided_at": created if status in ("declined", "completed") else None,
        })  # fmt: skip
        changes.append((pk, status, created))

    bench_person = User.objects.get(handle=BENCH_USER_HANDLE).pk
    for person in users:
        if person == bench_person:
            continue  # her places are BENCH_PLACES, below
        for target in rng.sample(offering_ids, per_person):
            if len(rows) >= sizes["enrolments"]:
                break
            status = rng.choice(STATUSES)
            place(person, target, status, now - timedelta(days=rng.randint(1, 700)))
    published, taken = [o for o in offerings if o["status"] == "published"], set()
    for n, (status, wanted) in enumerate(BENCH_PLACES):
        target = next(o["id"] for o in published if wanted(o) and o["id"] not in taken)
        taken.add(target)
        place(bench_person, target, status, now - timedelta(days=300 - n))
    bulkload.copy_model(Enrolment, rows)
    change_id = bulkload.next_id(EnrolmentStatusChange)
    bulkload.copy_model(
        EnrolmentStatusChange,
        ({"id": change_id + i, "enrolment_id": pk, "from_status": "", "to_status": status,
          "changed_at": at, "reason": ""} for i, (pk, status, at) in enumerate(changes)),
    )  # fmt: skip
    bulkload.reset_sequences(Programme, Offering, Cohort, Enrolment, EnrolmentStatusChange)
    # The places taken each offering keeps (the enrolment services count them one by one).
    seated = Enrolment.objects.filter(offering=OuterRef("pk"), status__in=Enrolment.SEATED)
    Offering.objects.update(seats_taken=counted(seated, "offering"))
    log(f"  enrolments: {len(rows)} (with their audit rows)")
