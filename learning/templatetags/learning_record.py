from django import template

from learning.selectors import alumni_record

register = template.Library()


@register.inclusion_tag("learning/_alumni_record.html")
def learning_record(user):
    """The "alumnus of" block shown on a person's profile."""
    return {"person": user, **alumni_record(user=user)}
