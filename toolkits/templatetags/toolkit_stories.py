from django import template

from toolkits.models import ToolkitUse

register = template.Library()


@register.inclusion_tag("toolkits/_person_stories.html")
def toolkit_stories(person):
    """A person's visible toolkit stories, for their profile."""
    stories = (
        ToolkitUse.objects.filter(user=person, hidden=False)
        .select_related("toolkit")
        .order_by("-created_at")[:10]
    )
    return {"stories": list(stories)}
