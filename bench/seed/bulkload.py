"""Fast loading for benchmark data: PostgreSQL COPY from rows built in Python.

Only `seed_bench` uses this (never the site): it skips model save(), signals and
validation, so callers give every NOT NULL column that has no default themselves.
"""

import io
import random
from datetime import date, datetime

from django.db import connection

# A vocabulary of the field, for titles and sentences (split once at import).
WORDS = (
    "service design user research prototype policy team citizens letters forms benefits "
    "housing mobility rural welfare school hospital agency ministry region commune lab "
    "experiment test learning failure insight interview journey map workshop co-design "
    "open data digital plain language procurement budget trust civil servants frontline "
    "staff manager pilot scale evaluation evidence behaviour nudge feedback survey "
    "accessibility inclusion waiting times queue appointment online paper office visit "
    "caseworker applicant simplify barrier rule legal framework transformation innovation "
    "change agent network alumni mentor coaching sprint retrospective stakeholder partner "
    "collaboration cross-departmental siloes outcome impact measure indicator dashboard "
    "story narrative storytelling facilitation sticky notes persona scenario hypothesis"
).split()
FIRST = (
    "Ana Bo Chloé Dev Eva Farid Grace Hugo Inès Jonas Karin Léa Malik Nora Omar Paula "
    "Quentin Rosa Sami Tess Ugo Vera Wim Xavier Yara Zoé"
).split()
LAST = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Okafor Patel Lindqvist"
).split()


class Text:
    """Plausible sentences from a small vocabulary, drawn from a pool so millions are cheap."""

    def __init__(self, seed=1, pool=4000):
        rng = random.Random(seed)
        self.rng = rng
        self.sentences = [
            " ".join(rng.choices(WORDS, k=rng.randint(6, 16))).capitalize() + "."
            for _ in range(pool)
        ]

    def title(self):
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(3, 7))).capitalize()

    def paragraph(self, low=2, high=5):
        return " ".join(self.rng.choices(self.sentences, k=self.rng.randint(low, high)))

    def name(self):
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"


def _cell(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def next_id(model):
    with connection.cursor() as cursor:
        # The table name comes from the model, never from input.
        table = model._meta.db_table
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # nosec B608
        return cursor.fetchone()[0] + 1


def copy(table, columns, rows, *, chunk=50_000):
    """COPY `rows` (tuples in `columns` order) into `table`; returns how many."""
    sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
    total = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        for n, row in enumerate(rows, 1):
            buffer.write("\t".join(_cell(v) for v in row))
            buffer.write("\n")
            if n % chunk == 0:
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)
                buffer = io.StringIO()
            total = n
        if buffer.tell():
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
    return total


def copy_model(model, rows, **kwargs):
    """COPY dicts of column values into `model`'s table; other columns take the model's
    defaults ('' for blank text). Every row must have the same keys."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.column in first:
            continue
        default = field.get_default()
        if default is None and not field.null:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        defaults[field.column] = default
    columns = list(first) + list(defaults)
    fixed = tuple(defaults.values())

    def tuples():
        yield tuple(first.values()) + fixed
        for row in rows:
            yield tuple(row.values()) + fixed

    return copy(model._meta.db_table, columns, tuples(), **kwargs)


def reset_sequences(*models):
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                # Table names come from the models, never from input.
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # nosec B608
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
            )


def tag(objects, names_for, model, *, start_tag_id=None):
    """Tags `objects` (ids) with taggit, in two COPYs: tags, then tagged items."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    content_type = ContentType.objects.get_for_model(model)
    known = dict(Tag.objects.values_list("name", "pk"))
    wanted = {name for obj in objects for name in names_for(obj)}
    missing = sorted(wanted - set(known))
    tag_id = next_id(Tag)
    copy_model(
        Tag,
        (
            {"id": tag_id + i, "name": name, "slug": slugify(name) or f"tag-{tag_id + i}"}
            for i, name in enumerate(missing)
        ),
    )
    known.update({name: tag_id + i for i, name in enumerate(missing)})
    item_id = next_id(TaggedItem)
    rows = (
        (known[name], content_type.pk, obj)
        for obj in objects
        for name in sorted(set(names_for(obj)))
    )
    copy(
        TaggedItem._meta.db_table,
        ["id", "tag_id", "content_type_id", "object_id"],
        ((item_id + i, *row) for i, row in enumerate(rows)),
    )
    reset_sequences(Tag, TaggedItem)
