"""Charts drawn as inline SVG; the data table beside each chart is the real record."""

from django import template

register = template.Library()


@register.inclusion_tag("community/_bar_chart.html")
def bar_chart(rows, *, value="reached", title="", width=560, height=180):
    """Bars for `rows` (dicts with "label" and the `value` key), scaled to the largest."""
    top = max((row[value] for row in rows), default=0) or 1
    slot = width / max(len(rows), 1)
    bars = []
    for i, row in enumerate(rows):
        h = round(row[value] / top * (height - 45))
        bars.append(
            {
                "x": round(i * slot + slot * 0.15),
                "width": round(slot * 0.7),
                "y": height - 20 - h,
                "height": h,
                "label_x": round(i * slot + slot / 2),
                "label": row["label"],
                "value": row[value],
            }
        )
    return {"title": title, "width": width, "height": height, "baseline": height - 20, "bars": bars}
