"""Small SVG charts drawn on the server: no script, no chart service.

A chart is an image to assistive technology (`role="img"`, named by its <title> and <desc>); the page puts a
table with the same numbers right after it. Colours come from CSS classes (the Content-Security-Policy allows
no inline styles) and the two series differ in shape too (bars and a line with dots), not in colour alone.
ElementTree writes the markup, so every label is escaped and the result is well-formed XML."""

from dataclasses import dataclass
from xml.etree import ElementTree as ET

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 30, 24


@dataclass(frozen=True)
class WeeklyChart:
    """What one chart shows: a week label per slot, posts (bars) and active members (line), and its words."""

    chart_id: str
    title: str
    description: str
    week_labels: list[str]
    posts: tuple[int, ...]
    members: tuple[int, ...]
    posts_label: str
    members_label: str


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... at or above `value` (the top of the scale)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _el(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _fmt(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def weekly_chart(chart: WeeklyChart) -> Markup:
    """Bars for posts and a line for active members, one slot per week, oldest first."""
    slots = len(chart.week_labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot_w = plot_w / slots
    top = nice_ceiling(max([*chart.posts, *chart.members, 1]))

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "class": "chart", "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img",
        "aria-labelledby": f"{chart.chart_id}-title {chart.chart_id}-desc", "id": chart.chart_id,
    })
    _el(svg, "title", chart.title, id=f"{chart.chart_id}-title")
    _el(svg, "desc", chart.description, id=f"{chart.chart_id}-desc")

    legend = _el(svg, "g", class_="chart-legend")
    _el(legend, "rect", x=LEFT, y=6, width=10, height=10, class_="chart-bar")
    _el(legend, "text", chart.posts_label, x=LEFT + 14, y=15)
    _el(legend, "line", x1=LEFT + 80, y1=11, x2=LEFT + 96, y2=11, class_="chart-line")
    _el(legend, "circle", cx=LEFT + 88, cy=11, r=3, class_="chart-dot")
    _el(legend, "text", chart.members_label, x=LEFT + 100, y=15)

    axis = _el(svg, "g", class_="chart-axis")
    for value in (0, top // 2, top) if top > 1 else (0, top):
        _el(axis, "line", x1=LEFT, y1=_fmt(y(value)), x2=WIDTH - RIGHT, y2=_fmt(y(value)), class_="chart-rule")
        _el(axis, "text", str(value), x=LEFT - 4, y=_fmt(y(value) + 4), text_anchor="end")
    for index, label in enumerate(chart.week_labels):
        if (slots - 1 - index) % 3 == 0:  # every third week, the current one included
            _el(axis, "text", label, x=_fmt(LEFT + slot_w * (index + 0.5)), y=HEIGHT - 6, text_anchor="middle")

    bars = _el(svg, "g", class_="chart-bars")
    for index, value in enumerate(chart.posts):
        _el(bars, "rect", x=_fmt(LEFT + slot_w * index + slot_w * 0.2), y=_fmt(y(value)), width=_fmt(slot_w * 0.6),
            height=_fmt(TOP + plot_h - y(value)), class_="chart-bar", data_value=value)

    points = [(LEFT + slot_w * (index + 0.5), y(value)) for index, value in enumerate(chart.members)]
    line = _el(svg, "g", class_="chart-members")
    _el(line, "polyline", points=" ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in points), class_="chart-line")
    for (px, py), value in zip(points, chart.members, strict=True):
        _el(line, "circle", cx=_fmt(px), cy=_fmt(py), r=3, class_="chart-dot", data_value=value)

    return Markup(ET.tostring(svg, encoding="unicode"))
