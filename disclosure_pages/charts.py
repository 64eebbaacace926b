"""Charts as inline SVG, drawn on the server: no script, no library (for the portal and the
apps that plug into it: the opinion ledger, supervision's boards and scorecards).

Each chart is a picture of a table the page also shows (the accessible form of the same
figures), so the SVG carries a title, says where its table is, and hides nothing only it has.
Every text passed in is shown as given: the caller translates it.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Widths in the SVG's own units; a chart scales to its box, and scrolls on a phone (ledger.css).
MONTHS_WIDTH, BARS_WIDTH = 600, 440
INK, MUTED, GRID = "#1f1f1f", "#555", "#d9d9d9"


def nice_ceiling(value):
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (a readable top for the axis)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _svg(chart_id, title, description, width, height, body):
    return format_html(
        '<svg class="chart {0}" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}</svg>',
        chart_id, width, height, title, description, body,
    )


def _number(value):
    """A coordinate as SVG text: one decimal at most."""
    return f"{value:.1f}".removesuffix(".0")


def _text(x, y, text, colour=INK, anchor="start", size=13):
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" fill="{}" font-family="sans-serif" font-size="{}">{}</text>',
        _number(x), _number(y), anchor, colour, size, text,
    )


def _rect(x, y, width, height, colour, tooltip=""):
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">{}</rect>',
        _number(x), _number(y), _number(width), _number(height), colour, format_html("<title>{}</title>", tooltip) if tooltip else "",
    )


def bar_chart(chart_id, title, description, labels, series):
    """Grouped vertical bars: ``labels`` along the bottom; ``series`` = [(name, colour, values)]."""
    width, height, top, bottom, left, right = MONTHS_WIDTH, 260, 34, 30, 44, 8
    plot_height, plot_width = height - top - bottom, width - left - right
    top_value = nice_ceiling(max([1, *(value for _, _, values in series for value in values)]))
    parts = []
    # The legend, above the plot.
    for index, (name, colour, _values) in enumerate(series):
        x = left + index * 120
        parts += [_rect(x, 8, 12, 12, colour), _text(x + 18, 19, name)]
    # Four grid lines with their values.
    for step in range(5):
        y = top + plot_height - plot_height * step / 4
        parts.append(format_html('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>', left, width - right, _number(y), _number(y), GRID))
        parts.append(_text(left - 6, y + 4, top_value * step // 4, MUTED, "end"))
    group_width = plot_width / max(len(labels), 1)
    bar_width = min(28, group_width * 0.8 / max(len(series), 1))
    label_every = max(1, round(len(labels) / 7))  # at most about seven labels fit along the bottom
    for index, label in enumerate(labels):
        group_left = left + index * group_width + (group_width - bar_width * len(series)) / 2
        for number, (name, colour, values) in enumerate(series):
            bar_height = plot_height * values[index] / top_value
            parts.append(_rect(group_left + number * bar_width, top + plot_height - bar_height, bar_width, bar_height, colour,
                               f"{label} {name}：{values[index]}"))
        if index % label_every == 0:
            parts.append(_text(left + (index + 0.5) * group_width, height - 10, label, MUTED, "middle"))
    return _svg(chart_id, title, description, width, height, mark_safe("".join(parts)))


def horizontal_bars(chart_id, title, description, rows, colour="#b2151b"):
    """One horizontal bar per ``(label, value)`` row, its value at its end."""
    row_height, left, right, size = 34, 130, 60, 16
    height = row_height * max(len(rows), 1) + 10
    top_value = max([1, *(value for _, value in rows)])
    plot_width = BARS_WIDTH - left - right
    parts = []
    for index, (label, value) in enumerate(rows):
        y, bar = 5 + index * row_height, plot_width * value / top_value
        parts += [_text(left - 8, y + 17, label, INK, "end", size), _rect(left, y, bar, 22, colour, f"{label}：{value}"),
                  _text(left + bar + 6, y + 17, value, INK, "start", size)]
    return _svg(chart_id, title, description, BARS_WIDTH, height, mark_safe("".join(parts)))
