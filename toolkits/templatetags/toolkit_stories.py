from django import template

from toolkits.selectors import stories_of

register = template.Library()


@register.inclusion_tag("toolkits/_person_stories.html")
def toolkit_stories(person):
    """A person's visible toolkit stories, for their profile."""
    return {"stories": stories_of(person=person)}
