"""Benchmark data at scale for toolkits (`manage.py seed_bench`): toolkits with tags,
linked offerings and "I used this" stories."""

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from bench.seed import BENCH_USER_HANDLE, SCALES, bulkload
from bench.seed.learning import tags_for
from community.accounts.models import Organisation, User
from toolkits.models import Toolkit, ToolkitUse


def seed(*, scale, log=print):
    sizes = SCALES[scale]
    rng = random.Random(4)
    text = bulkload.Text(seed=4)
    now = timezone.now()
    labs = list(Organisation.objects.values_list("pk", flat=True)[:40])
    toolkit_id = bulkload.next_id(Toolkit)
    toolkits = []
    for i in range(max(20, sizes["offerings"] // 10)):
        title = f"{text.title()} toolkit"[:150]
        toolkits.append({
            "id": toolkit_id + i, "title": title, "slug": f"{slugify(title)[:150]}-{i}",
            "summary": text.paragraph(1, 1)[:300], "approach": text.paragraph(3, 5),
            "tested_with": text.title()[:200], "audience": "Public servants",
            "host_lab_id": labs[i % len(labs)],
            "status": "published" if rng.random() < 0.9 else "draft",
            "created_at": now - timedelta(days=rng.randint(1, 700)), "updated_at": now,
        })  # fmt: skip
    bulkload.copy_model(Toolkit, toolkits)
    bulkload.tag([t["id"] for t in toolkits], tags_for, Toolkit)
    # Not the benchmark person: she has used no toolkit at any scale, so My learning
    # suggests some (the same queries at S and L).
    users = list(
        User.objects.filter(email__endswith="@bench.innolab.test")
        .exclude(handle=BENCH_USER_HANDLE)
        .values_list("pk", flat=True)
    )
    use_id = bulkload.next_id(ToolkitUse)
    # One story per person and toolkit (toolkit_use_once_per_person).
    pairs = sorted(
        {(rng.choice(toolkits)["id"], rng.choice(users)) for _ in range(len(toolkits) * 5)}
    )
    uses = bulkload.copy_model(
        ToolkitUse,
        ({"id": use_id + i, "toolkit_id": toolkit, "user_id": person,
          "context": text.title()[:200], "story": text.paragraph(2, 4)[:3000],
          "created_at": now - timedelta(days=rng.randint(1, 700)), "hidden": False,
          "hidden_by_id": None}
         for i, (toolkit, person) in enumerate(pairs)),
    )  # fmt: skip
    bulkload.reset_sequences(Toolkit, ToolkitUse)
    log(f"  toolkits: {len(toolkits)}, stories: {uses}")
