"""Turns bench/results.json into docs/benchmarks-latency.svg and the "Query path" section of
docs/benchmarks.md (between the bench:begin / bench:end markers). Run by bench/run_bench.py."""
import json
import math
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BEGIN, END = "<!-- bench:begin (written by make bench) -->", "<!-- bench:end -->"


def chart(sizes, ours, seed):
    """Latency against collection size, both axes logarithmic."""
    w, h, left, right, top, bottom = 660, 360, 70, 60, 30, 50
    lo = 10 ** math.floor(math.log10(min(ours + seed)))
    hi = 10 ** math.ceil(math.log10(max(ours + seed)))

    def x(i):
        return left + i * (w - left - right) / max(1, len(sizes) - 1)

    def y(v):
        return top + (h - top - bottom) * (1 - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<text x="{w / 2}" y="18" text-anchor="middle" font-size="14">Query latency (p50, one client) vs collection size</text>']
    decade = lo
    while decade <= hi:
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(decade):.1f}" y2="{y(decade):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(decade) + 4:.1f}" text-anchor="end">{decade:g} ms</text>')
        decade *= 10
    for i, n in enumerate(sizes):
        label = f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"
        parts.append(f'<text x="{x(i):.1f}" y="{h - bottom + 18}" text-anchor="middle">{label}</text>')
    parts.append(f'<text x="{w / 2}" y="{h - 8}" text-anchor="middle">rows (images)</text>')
    for values, colour, name, dy in ((seed, "#c0392b", "seed: PyTorch fp32 + numpy", 0), (ours, "#2471a3", "image-search over HTTP", 16)):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
            parts.append(f'<text x="{x(i) + 5:.1f}" y="{y(v) - 6:.1f}" fill="{colour}">{v:.1f}</text>')
        parts.append(f'<text x="{left + 10}" y="{top + 14 + dy}" fill="{colour}">{name}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def section(r):
    sizes = sorted(int(n) for n in r["sizes"])
    s = {int(n): e for n, e in r["sizes"].items()}
    lines = [BEGIN, "", "## Query path (make bench)", "",
             f"Measured {r['date']} by `{r['command']}` in {r['minutes']} minutes on {r['cores']} cores ({r['cpu']}),",
             f"load average {r['load_average_start'][0]:.1f} at the start and {r['load_average_end'][0]:.1f} at the end"
             " (the machine is shared: read ratios measured in the same run, not absolute figures).",
             "The server is the EC2 jar with the systemd unit's JVM flags"
             f" (`{' '.join(r['jvm_flags'])}`), the full-size int8 text model with random weights",
             "(`make bench-model`), random 512-d rows, every query a different text (`bench/queries.lua`), so the",
             "query cache never answers. The seed's stack (`bench/seed_stack.py`) is a PyTorch fp32 text tower of",
             "the same shape and a numpy scan of float32 rows, timed in process (no HTTP) in the same run,"
             f" with {r.get('seed_blas', 'the system BLAS')}.", "",
             "![latency vs collection size](benchmarks-latency.svg)", "",
             "| rows | start to first answer | RSS after load | encode p50 | scan p50 | HTTP p50 / p99 (1 client) | seed p50 | seed / us |",
             "|---|---|---|---|---|---|---|---|"]
    for n in sizes:
        e = s[n]
        h1 = e["http"][0]
        lines.append(f"| {n:,} | {e['start_to_first_answer_s']} s | {e['rss_after_load_mb']:.0f} MB | {e.get('encode_ms_p50', '-')} ms"
                     f" | {e.get('scan_ms_p50', '-')} ms | {h1['p50_ms']} / {h1['p99_ms']} ms | {e['seed_total_ms_p50']} ms | {e['seed_over_us']}x |")
    if 50000 in s:
        lines += ["", "Load test at 50,000 rows (`wrk`, distinct queries):", "",
                  "| clients | requests/s | p50 | p90 | p99 | non-2xx | load average |", "|---|---|---|---|---|---|---|"]
        for h in s[50000]["http"]:
            lines.append(f"| {h['clients']} | {h['requests_per_s']:.0f} | {h['p50_ms']} ms | {h['p90_ms']} ms | {h['p99_ms']} ms"
                         f" | {h['non_2xx']} | {h['load_average'][0]:.1f} |")
    if "variants_50k" in r:
        lines += ["", "Settings against the defaults (2 ONNX Runtime threads, no spinning), 50,000 rows, same run:", "",
                  "| setting | encode p50 (Server-Timing) | 1 client p50 / p99 | 8 clients requests/s |", "|---|---|---|---|"]
        d = s[50000]
        lines.append(f"| defaults | {d.get('encode_ms_p50')} ms | {d['http'][0]['p50_ms']} / {d['http'][0]['p99_ms']} ms"
                     f" | {d['http'][1]['requests_per_s']:.0f} |")
        for v in r["variants_50k"]:
            env = ", ".join(f"`{k}={val}`" for k, val in v["env"].items())
            lines.append(f"| {v['name']} ({env}) | {v['timings'].get('encode_ms_p50')} ms"
                         f" | {v['http'][0]['p50_ms']} / {v['http'][0]['p99_ms']} ms | {v['http'][1]['requests_per_s']:.0f} |")
    lines += ["", "Raw figures: `bench/results.json`.", "", END]
    return "\n".join(lines) + "\n"


def main():
    with open(os.path.join(ROOT, "bench/results.json")) as f:
        r = json.load(f)
    sizes = sorted(int(n) for n in r["sizes"])
    ours = [r["sizes"][str(n)]["http"][0]["p50_ms"] for n in sizes]
    seed = [r["sizes"][str(n)]["seed_total_ms_p50"] for n in sizes]
    with open(os.path.join(ROOT, "docs/benchmarks-latency.svg"), "w") as f:
        f.write(chart(sizes, ours, seed))
    path = os.path.join(ROOT, "docs/benchmarks.md")
    with open(path) as f:
        doc = f.read()
    if BEGIN in doc:
        doc = doc[:doc.index(BEGIN)] + section(r) + doc[doc.index(END) + len(END) + 1:]
    else:
        head, _, rest = doc.partition("\n## ")
        doc = head + "\n" + section(r) + "\n## " + rest
    with open(path, "w") as f:
        f.write(doc)
    print("wrote docs/benchmarks.md and docs/benchmarks-latency.svg")


if __name__ == "__main__":
    main()
