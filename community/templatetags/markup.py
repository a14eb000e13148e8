from django import template

from community.accounts.markup import render_markdown
from innolab import fragments

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """{{ offering.description|markdown }}: Markdown to sanitised HTML, kept by the text
    itself (innolab.fragments): the same text always gives the same HTML."""
    if not text:
        return render_markdown(text)
    return fragments.get_or_render("markdown", [str(text)], lambda: render_markdown(text))
