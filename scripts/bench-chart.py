#!/usr/bin/env python3
"""SVG chart of ferrotls ÷ OpenSSL per row and metric, from build/bench.json (make bench).

usage: bench-chart.py BENCH_JSON OUT_SVG [MORE_OUT_SVG...]

One horizontal bar per (row, metric) that has figures on both sides: the default provider's
ratio (thick bar, the `ratio` field) and the other provider's (thin bar, from `by_provider`).
Rates: higher is better. Heap: the ratio is inverted (OpenSSL ÷ ferrotls) so that longer is
better everywhere. The line at 1.0 is parity; the ticks mark issue 16's targets.
"""
import json
import sys
from html import escape

METRICS = [
    # (metric, unit, label, invert, target)
    ("full handshakes/s", "", "full handshakes/s", False, 1.5),
    ("resumed handshakes/s", "session ID", "resumed (session ID)/s", False, 6.0),
    ("resumed handshakes/s", "ticket", "resumed (ticket)/s", False, 6.0),
    ("resumed handshakes/s", "TLS 1.3 PSK", "resumed (TLS 1.3 PSK)/s", False, 6.0),
    ("bulk 16 KiB writes", "MB/s", "bulk 16 KiB", False, None),
    ("bulk 1 KiB writes", "MB/s", "bulk 1 KiB", False, None),
    ("idle conn heap, server", "B", "idle heap, server (inverted)", True, 2.0),
    ("1,000 established pairs, heap", "B", "1,000 conns heap (inverted)", True, None),
    ("full handshakes/s, 2 threads", "", "handshakes/s, 2 threads", False, 1.5),
]


def median(cell):
    return cell.get("median") if isinstance(cell, dict) else None


def main():
    src, outs = sys.argv[1], sys.argv[2:]
    with open(src) as f:
        data = json.load(f)
    providers = data.get("providers", ["ferrotls"])
    default = providers[0]
    alt = providers[1] if len(providers) > 1 else None
    bars = []
    for row in data["rows"]:
        for metric, unit, label, invert, target in METRICS:
            if row["metric"] != metric or (unit and row.get("unit") != unit):
                continue
            o = median(row["openssl"])
            f = median(row["ferrotls"])
            if not o or not f:
                continue
            a = median(row.get("by_provider", {}).get(alt)) if alt else None
            ratio = (o / f) if invert else (f / o)
            alt_ratio = None if not a else ((o / a) if invert else (a / o))
            bars.append((row["row"], label, ratio, alt_ratio, target))
    width, left, bar_h, gap = 980, 430, 14, 8
    top = 70
    scale_max = max([3.0] + [b[2] for b in bars] + [b[3] or 0 for b in bars])
    scale_max = min(scale_max, 12.0)
    px = (width - left - 40) / scale_max
    height = top + len(bars) * (bar_h + gap) + 50
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="20" font-size="15">ferrotls ÷ OpenSSL {escape(data["machine"].get("openssl", ""))}, '
        f'same run ({"quick" if data.get("quick") else "full"} bench)</text>',
        f'<text x="10" y="38">thick: ferrotls-{escape(default)} (default provider)'
        + (f"; thin: ferrotls-{escape(alt)}" if alt else "")
        + "; longer is better (heap rows inverted); | marks the issue 16 target; the line is parity</text>",
        f'<text x="10" y="54">{escape(data["machine"].get("cpu", ""))}, '
        f'{data["machine"].get("nproc", "?")} CPUs</text>',
    ]
    for i in range(0, int(scale_max) + 1):
        x = left + i * px
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 40}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 26}" text-anchor="middle">{i}×</text>')
    x1 = left + px
    out.append(f'<line x1="{x1:.1f}" y1="{top - 6}" x2="{x1:.1f}" y2="{height - 40}" stroke="#444"/>')
    y = top
    for name, label, ratio, alt_ratio, target in bars:
        colour = "#2a7" if target is None or ratio >= target else ("#e90" if ratio >= 1.0 else "#d33")
        out.append(f'<text x="{left - 8}" y="{y + bar_h - 3}" text-anchor="end">{escape(name)} · {escape(label)}</text>')
        w = min(ratio, scale_max) * px
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 5}" fill="{colour}"/>')
        if alt_ratio is not None:
            wa = min(alt_ratio, scale_max) * px
            out.append(f'<rect x="{left}" y="{y + bar_h - 4}" width="{wa:.1f}" height="3" fill="#557"/>')
        out.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 5}">{ratio:.2f}'
                   + (f" ({alt_ratio:.2f})" if alt_ratio is not None else "") + "</text>")
        if target is not None:
            tx = left + min(target, scale_max) * px
            out.append(f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + bar_h}" stroke="#000" stroke-width="2"/>')
        y += bar_h + gap
    out.append("</svg>\n")
    for path in outs:
        with open(path, "w") as f:
            f.write("\n".join(out))
        print(f"wrote {path} ({len(bars)} bars)")


if __name__ == "__main__":
    main()
