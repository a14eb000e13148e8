from django import template

from community.accounts.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """{{ offering.description|markdown }}: Markdown to sanitised HTML."""
    return render_markdown(text)
