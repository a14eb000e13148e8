"""Filtering by tag (django-taggit), shared by every list that has tags."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q


def tagged_ids(model, slug, manager="tags"):
    """A subquery of the ids of `model` rows tagged `slug` (through `manager`).

    Filtering with `pk__in=` this, rather than joining the tags, returns no duplicate
    rows, so lists need no DISTINCT over every column.
    """
    through = getattr(model, manager).through
    return through.objects.filter(
        tag__slug=slug,
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
    ).values("object_id")


def attach_tags(objects, manager="tags"):
    """Gives each of `objects` (rows of one model) a `tag_list` of (slug, name), in one
    query. Lists use it instead of prefetch_related: taggit's prefetch builds a queryset
    per row, which cost a list page more than all its other queries together."""
    objects = list(objects)
    if not objects:
        return objects
    model = type(objects[0])
    through = getattr(model, manager).through
    rows = (
        through.objects.filter(
            content_type=ContentType.objects.get_for_model(model),  # cached per process
            object_id__in=[obj.pk for obj in objects],
        )
        .order_by("tag__name")
        .values_list("object_id", "tag__slug", "tag__name")
    )
    tags = {}
    for object_id, slug, name in rows:
        tags.setdefault(object_id, []).append((slug, name))
    for obj in objects:
        obj.tag_list = tags.get(obj.pk, [])
    return objects


def tag_names(*groups):
    """The names of the tags on any of `groups`, each (model, ids, manager), in one query
    (their managers must share taggit's through model)."""
    throughs = {getattr(model, manager).through for model, _ids, manager in groups}
    if len(throughs) != 1:
        raise ValueError("tag_names reads the tags of one through model")
    on_any = Q(pk__in=[])
    for model, ids, _manager in groups:
        on_any |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return set(throughs.pop().objects.filter(on_any).values_list("tag__name", flat=True))
