#!/usr/bin/env python3
"""End-to-end /api/search time, English tower (lang=en, English standard queries) against the
multilingual tower (lang=fr, their French translations), over one keep-alive loopback connection.

Run against a server started with IMAGE_SEARCH_QUERY_CACHE=1 (the minimum) and cycle 26 distinct
queries, so the one cached embedding never answers the next request (checked: `cached` false).
Rounds alternate the block order (EN then FR, FR then EN) so drift in machine load hits both.

  python3 bench/lang_query_time.py --port 8000 [--rounds 20 --passes 2 --warmup 2]
"""
import argparse, http.client, json, re, statistics, time, urllib.parse
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "function/src/main/java/dev/imagesearch/synth/SceneQuery.java"


def standard(name):
    text = SRC.read_text(encoding="utf-8")
    body = text[text.index(f"List<SceneQuery> {name} ="):]
    body = body[: body.index(";")]
    return re.findall(r'"([^"]+)"', body)


def block(conn, queries, lang, passes, out):
    for _ in range(passes):
        for q in queries:
            path = f"/api/search?q={urllib.parse.quote(q)}&lang={lang}"
            t0 = time.perf_counter_ns()
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            dt = (time.perf_counter_ns() - t0) / 1e6
            assert resp.status == 200, (resp.status, q)
            t = json.loads(body)["query"]
            assert not t["timings"]["cached"], q
            assert t["tower"] == ("english" if lang == "en" else "multilingual"), t["tower"]
            if out is not None:
                out["client"].append(dt)
                out["server"].append(t["timings"]["totalMs"])
                out["encode"].append(t["timings"]["encodeMs"])


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    a = ap.parse_args()
    en, fr = standard("STANDARD"), standard("STANDARD_FR")
    assert len(en) == len(fr) == 26 and len(set(en)) == len(set(fr)) == 26
    conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
    res = {lang: {"client": [], "server": [], "encode": []} for lang in ("en", "fr")}
    for r in range(a.warmup + a.rounds):
        order = [("en", en), ("fr", fr)] if r % 2 == 0 else [("fr", fr), ("en", en)]
        for lang, qs in order:
            block(conn, qs, lang, a.passes, res[lang] if r >= a.warmup else None)
    print(f"{'':4} {'n':>5} {'client p50':>10} {'p90':>8} {'server total p50':>16} {'p90':>8} {'encode p50':>10} {'p90':>8}  (ms)")
    for lang in ("en", "fr"):
        d = res[lang]
        print(f"{lang:4} {len(d['client']):5} {statistics.median(d['client']):10.3f} {pct(d['client'], 90):8.3f}"
              f" {statistics.median(d['server']):16.3f} {pct(d['server'], 90):8.3f}"
              f" {statistics.median(d['encode']):10.3f} {pct(d['encode'], 90):8.3f}")
    for k in ("client", "server", "encode"):
        m = statistics.median(res["fr"][k]) / statistics.median(res["en"][k])
        p = pct(res["fr"][k], 90) / pct(res["en"][k], 90)
        print(f"ratio fr/en {k}: p50 {m:.3f}  p90 {p:.3f}")


if __name__ == "__main__":
    main()
