"""The results page's timeline: matching directives per year as bars of a small SVG chart.

search.run_search() counts the years (``result["timeline"]``); chart() lays the
bars out in SVG user units for templates/_timeline.html, which draws them
server-side (no script, no inline style: the CSP forbids both), each bar a link
to the search narrowed to its year.

    chart(result["timeline"])["bars"][0]   # {"year": 2021, "count": 3, "x": …, "height": …, "url": …}
"""

from __future__ import annotations

#: Drawing area in SVG user units; the SVG scales to the column's width.
WIDTH = 640
BAR_AREA = 64  # tallest bar
TOP = 16  # room for the count above a bar
BOTTOM = 18  # room for the year below
MAX_BAR = 48  # a bar never gets wider than this, however few years


def chart(timeline: list[dict]) -> dict | None:
    """Geometry of the bars, or None when fewer than two years would be drawn."""
    if len(timeline) < 2:
        return None
    step = min(WIDTH / len(timeline), MAX_BAR + 8)
    width = max(2.0, step * 0.8)
    tallest = max(entry["count"] for entry in timeline) or 1
    # Label every year while they fit (about 34 units for "2021"), else every n-th.
    label_every = max(1, -(-34 // int(step)) if step < 34 else 1)
    bars = []
    for i, entry in enumerate(timeline):
        height = round(BAR_AREA * entry["count"] / tallest, 1) if entry["count"] else 0
        x = round(i * step + (step - width) / 2, 1)
        bars.append({**entry, "x": x, "width": round(width, 1), "height": height,
                     "y": round(TOP + BAR_AREA - height, 1), "middle": round(x + width / 2, 1),
                     "labelled": i % label_every == 0 or i == len(timeline) - 1})
    return {"bars": bars, "width": round(step * len(timeline), 1), "height": TOP + BAR_AREA + BOTTOM,
            "baseline": TOP + BAR_AREA, "year_y": TOP + BAR_AREA + BOTTOM - 4,
            "first": timeline[0]["year"], "last": timeline[-1]["year"]}
