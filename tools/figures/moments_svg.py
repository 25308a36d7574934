#!/usr/bin/python3
"""Draws one search hit of a long video as an SVG timeline: the true scene, the best segment, the moments and the
best frames the service returned. Input: the JSON body of POST /api/search/videos; standard library only.

    python3 tools/figures/moments_svg.py response.json --duration 1200 --truth 780 810 --out docs/moments-long-video.svg
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

WIDTH, LEFT, RIGHT = 900, 60, 20
ROWS = {"truth": 40, "segment": 80, "moments": 120, "frames": 160}
AXIS_Y = 200


def x_of(seconds: float, duration: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * seconds / duration


def bar(start: float, end: float, row: str, duration: float, colour: str, label: str = "") -> str:
    x0, x1 = x_of(start, duration), x_of(end, duration)
    y = ROWS[row] - 10
    title = f"<title>{label or row}: {start:g}–{end:g} s</title>"
    return f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 2):.1f}" height="20" fill="{colour}">{title}</rect>'


def draw(hit: dict, duration: float, truth: tuple[float, float], query: str) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="250" font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{LEFT}" y="16">Query "{query}": top hit {hit.get("title") or hit["videoId"]}, score {hit["score"]:.2f}</text>',
    ]
    for row in ROWS:
        parts.append(f'<text x="4" y="{ROWS[row] + 4}">{row}</text>')
    parts.append(bar(truth[0], truth[1], "truth", duration, "#2a9d8f", "the matching scene"))
    segment = hit["bestSegment"]
    parts.append(bar(segment["start"], segment["end"], "segment", duration, "#8d99ae", f"best segment {segment['index']}"))
    for i, moment in enumerate(hit["moments"]):
        parts.append(bar(moment["start"], moment["end"], "moments", duration, "#e76f51" if i == 0 else "#f4a261",
                         f"moment {i + 1}, score {moment['score']:.3f}"))
    for frame in hit["bestFrames"]:
        x = x_of(frame["t"], duration)
        parts.append(f'<line x1="{x:.1f}" y1="{ROWS["frames"] - 10}" x2="{x:.1f}" y2="{ROWS["frames"] + 10}" '
                     f'stroke="#264653" stroke-width="2"><title>{frame["t"]:g} s, {frame["score"]:.3f}</title></line>')
    parts.append(f'<line x1="{LEFT}" y1="{AXIS_Y}" x2="{WIDTH - RIGHT}" y2="{AXIS_Y}" stroke="black"/>')
    step = 60 if duration <= 1800 else 600
    for t in range(0, int(duration) + 1, step):
        x = x_of(t, duration)
        parts.append(f'<line x1="{x:.1f}" y1="{AXIS_Y}" x2="{x:.1f}" y2="{AXIS_Y + 5}" stroke="black"/>')
        if t % (step * 2) == 0:
            parts.append(f'<text x="{x:.1f}" y="{AXIS_Y + 18}" text-anchor="middle">{t // 60} min</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("response", type=Path)
    parser.add_argument("--duration", type=float, required=True, help="length of the long video in seconds")
    parser.add_argument("--truth", type=float, nargs=2, required=True, metavar=("START", "END"))
    parser.add_argument("--query", default="")
    parser.add_argument("--hit", type=int, default=0, help="which result to draw")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    hit = json.loads(args.response.read_text())["results"][args.hit]
    args.out.write_text(draw(hit, args.duration, tuple(args.truth), args.query))


if __name__ == "__main__":
    main()
