"""Filtering by tag (django-taggit), shared by every list that has tags."""


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
