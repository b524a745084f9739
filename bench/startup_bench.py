"""`make bench-startup`: process start to first answer and RSS at 50,000 rows, with and without the
two start-up caches, in alternating rounds so the machine's load hits every variant alike.

The server is the EC2 jar under the unit's own JVM flags (bench/run_bench.py's Server). Variants:
  plain  no AOT cache, ONNX Runtime optimises the graph at every start (the cache folder is a file)
  aot    the AOT cache install.sh trains (-XX:AOTCache), graph optimised at every start
  graph  no AOT cache, the saved optimised graph (models/onnx-optimized/)
  both   the unit as installed: AOT cache and saved graph
Per start: seconds to the first 200 from /api/search (polled every 20 ms), CPU seconds the process
used until then (less sensitive to other processes than wall time), RSS after that answer and after
30 more distinct queries, the median client latency of the last 20. Writes bench/startup.json.

usage: startup_bench.py [--rounds 5] [--variants plain,aot,graph,both] [--env NAME=VALUE ...]"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import run_bench as rb  # noqa: E402

NO_GRAPH_CACHE = os.path.join(rb.ROOT, "work-data/bench-cache/not-a-folder")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(variant, rows, env_extra):
    env = dict(env_extra)
    if variant in ("plain", "aot"):
        env["IMAGE_SEARCH_MODEL_CACHE"] = NO_GRAPH_CACHE
    flags = rb.unit_flags() if variant in ("aot", "both") else rb.unit_flags(None)
    load = rb.load_average()[0]
    server = rb.Server(rows, flags=flags, env_extra=env, log_name=f"bench-startup-{variant}.log")
    try:
        entry = {"first_answer_s": round(server.first_answer_s, 2),
                 "cpu_to_first_answer_s": cpu_seconds(server.proc.pid),
                 "rss_after_load_mb": server.rss_mb(), "load_average": load}
        latencies = [rb.get(server.port, f"a start-up query about boats number {i}")[0] for i in range(30)]
        entry["rss_after_30_queries_mb"] = server.rss_mb()
        entry["query_ms_p50"] = round(statistics.median(latencies[10:]), 1)
    finally:
        server.stop()
    with open(os.path.join(rb.ROOT, "work-data", f"bench-startup-{variant}.log")) as f:
        ready = [l for l in f if l.startswith("ready: ")]
    entry["ready_line"] = ready[0].strip() if ready else None
    return entry


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rows", type=int, default=50000)
    ap.add_argument("--variants", default="plain,aot,graph,both")
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE for every server")
    ap.add_argument("--no-training", action="store_true", help="reuse work-data/bench-aot")
    args = ap.parse_args()
    env = dict(e.split("=", 1) for e in args.env)
    os.makedirs(os.path.dirname(NO_GRAPH_CACHE), exist_ok=True)
    with open(NO_GRAPH_CACHE, "w") as f:
        f.write("a file where the model cache folder would be: no saved graph\n")
    variants = args.variants.split(",")
    results = {"date": rb.datetime.datetime.now(rb.datetime.timezone.utc).isoformat(timespec="seconds"),
               "command": "make bench-startup", "rows": args.rows, "jvm_flags": rb.unit_flags(),
               "env": env, "load_average_start": rb.load_average(), "runs": {v: [] for v in variants}}
    if not args.no_training:
        results["aot_training_s"] = rb.train_aot_cache(args.rows)
    for _ in range(args.rounds):
        for variant in variants:
            entry = start(variant, args.rows, env)
            results["runs"][variant].append(entry)
            print(variant, json.dumps(entry), flush=True)
    results["load_average_end"] = rb.load_average()
    results["medians"] = {
        v: {k: round(statistics.median(r[k] for r in runs), 2)
            for k in ("first_answer_s", "cpu_to_first_answer_s", "rss_after_load_mb",
                      "rss_after_30_queries_mb", "query_ms_p50", "load_average")}
        for v, runs in results["runs"].items()}
    for v, m in results["medians"].items():
        print(f"{v:6s} " + "  ".join(f"{k} {x}" for k, x in m.items()))
    with open(os.path.join(rb.ROOT, "bench/startup.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
