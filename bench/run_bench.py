"""`make bench`: the query path end to end, for us and for the seed's stack, in one run.

For each collection size (10k, 50k, 250k, 1M random rows, ViT-B/32-shaped int8 text model with
random weights from `make bench-model`) it starts the EC2 jar with the systemd unit's own JVM flags
(read from ec2/image-search.service), measures process start to first answer and RSS, reads the
server's Server-Timing (encode, scan) over 100 distinct queries, and runs wrk with distinct queries
(bench/queries.lua) at 1 client; at 50k also 8 and 32 clients, and 1 and 8 clients with ONNX
Runtime's spinning on. bench/seed_stack.py times the seed's PyTorch fp32 + numpy path at the same
sizes. Writes bench/results.json, docs/benchmarks-latency.svg and the "Query path" section of
docs/benchmarks.md.

usage: run_bench.py [--sizes 10000,50000,250000,1000000] [--seconds 8]"""
import argparse
import datetime
import json
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
JAR = os.path.join(ROOT, "function/target/image-search.jar")
MODEL = os.path.join(ROOT, "work-data/bench-model")
INDEXES = os.path.join(ROOT, "work-data/bench-index")
UNIT = os.path.join(ROOT, "ec2/image-search.service")
LUA = os.path.join(ROOT, "bench/queries.lua")
JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin/java")
PY = "/usr/bin/python3"


def load_average():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def unit_flags():
    """The JVM flags of the unit's ExecStart, minus the CDS archive paths that only exist on EC2."""
    with open(UNIT) as f:
        line = next(l for l in f if l.startswith("ExecStart="))
    words = shlex.split(line[len("ExecStart="):])
    flags = words[1:words.index("-jar")]
    flags = [w for w in flags if "SharedArchiveFile" not in w and "AutoCreateSharedArchive" not in w]
    if "jdk.incubator.vector" not in flags:
        flags += ["--add-modules", "jdk.incubator.vector"]
    return flags


def ensure_index(rows):
    store = os.path.join(INDEXES, str(rows))
    if os.path.exists(os.path.join(store, "index", "CURRENT")):
        return store
    os.makedirs(INDEXES, exist_ok=True)
    cp = open(os.path.join(ROOT, "function/target/test-classpath.txt")).read().strip()
    env = dict(os.environ, CLASSPATH=f"{ROOT}/function/target/test-classes:{ROOT}/function/target/classes:{cp}")
    subprocess.run([JAVA, "-Xmx2g", "dev.imagesearch.bench.BenchIndex", store, str(rows), MODEL], env=env, check=True)
    return store


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, query, timeout=30):
    url = f"http://127.0.0.1:{port}/api/search?q={urllib.parse.quote_plus(query)}&k=10"
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as r:
        r.read()
        return (time.perf_counter() - t0) * 1e3, r.headers.get("Server-Timing", "")


class Server:
    def __init__(self, rows, env_extra=None, flags_extra=None, log_name=None):
        self.port = free_port()
        env = dict(os.environ, IMAGE_SEARCH_MODEL=MODEL, IMAGE_SEARCH_STORE=ensure_index(rows),
                   PORT=str(self.port), IMAGE_SEARCH_INDEX_POLL="0", DJL_OFFLINE="true")
        env.update(env_extra or {})
        cmd = [JAVA] + unit_flags() + (flags_extra or []) + ["-jar", JAR, "serve"]
        self.log = open(os.path.join(ROOT, "work-data", log_name or f"bench-server-{rows}.log"), "w")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = t0 + 300
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"server for {rows} rows exited with {self.proc.returncode}; see {self.log.name}")
            try:
                self.first_query_ms = get(self.port, "the first query after start", timeout=60)[0]
                break
            except Exception:
                if time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"server for {rows} rows not answering; see {self.log.name}")
                time.sleep(0.02)
        self.first_answer_s = time.monotonic() - t0

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            kb = int(next(l for l in f if l.startswith("VmRSS:")).split()[1])
        return round(kb / 1024, 1)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def timings(port, rows, count=100):
    """Medians of the client's latency and the Server-Timing parts over distinct queries."""
    parts = {"client": [], "encode": [], "scan": [], "total": []}
    for i in range(count + 10):
        ms, header = get(port, f"a quiet photo of a harbour number {rows * 7 + i}")
        if i < 10:
            continue
        parts["client"].append(ms)
        for name, dur in re.findall(r"(\w+);dur=([\d.]+)", header):
            if name in parts:
                parts[name].append(float(dur))
    return {k + "_ms_p50": round(statistics.median(v), 2) for k, v in parts.items() if v}


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit], 2)


def wrk(port, clients, seconds):
    threads = min(clients, 2)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", LUA,
                          f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True).stdout
    pct = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"clients": clients, "p50_ms": to_ms(pct["50"]), "p90_ms": to_ms(pct["90"]), "p99_ms": to_ms(pct["99"]),
            "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "non_2xx": int(errors.group(1)) if errors else 0, "load_average": load_average()}


OPENBLAS = os.path.join(ROOT, "work-data/openblas")
SEED_BLAS = [""]


def seed_stack(sizes):
    """Debian's PyTorch and numpy use the reference BLAS (40 ms for one 8x512x2048 product here),
    while the seed ran pip's PyTorch with MKL: with OpenBLAS (`make bench-openblas`) loaded in its
    place for this process only, the seed's stack is timed at a speed it really had."""
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2")
    if os.path.exists(os.path.join(OPENBLAS, "libblas.so.3")):
        env["LD_LIBRARY_PATH"] = OPENBLAS
    out = subprocess.run([PY, os.path.join(ROOT, "bench/seed_stack.py"), "--tokenizer",
                          os.path.join(MODEL, "tokenizer.json"), "--sizes", ",".join(map(str, sizes))],
                         capture_output=True, text=True, check=True, env=env).stdout
    raw = json.loads(out.strip().splitlines()[-1])
    SEED_BLAS[0] = "OpenBLAS" if "LD_LIBRARY_PATH" in env else "reference BLAS (slow: run make bench-openblas)"
    return {int(n): {k.replace("_ms", "_ms_p50"): round(statistics.median(v), 2) for k, v in parts.items()}
            for n, parts in raw.items()}


# Settings other than the defaults, each measured at 50,000 rows against the defaults in the same run.
VARIANTS = [
    ("ONNX Runtime spinning on", {"IMAGE_SEARCH_ORT_SPINNING": "true"}),
    ("1 ONNX Runtime thread", {"IMAGE_SEARCH_ORT_THREADS": "1"}),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,50000,250000,1000000")
    ap.add_argument("--seconds", type=int, default=8)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.monotonic()
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "command": "make bench", "jvm_flags": unit_flags(), "load_average_start": load_average(),
               "cpu": subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                                     capture_output=True, text=True).stdout.strip(),
               "cores": os.cpu_count(), "sizes": {}}
    for rows in sizes:
        ensure_index(rows)
    results["seed"] = seed_stack(sizes)
    results["seed_blas"] = SEED_BLAS[0]
    print("seed stack:", json.dumps(results["seed"]), flush=True)
    for rows in sizes:
        server = Server(rows)
        try:
            entry = {"start_to_first_answer_s": round(server.first_answer_s, 2), "rss_after_load_mb": server.rss_mb()}
            entry.update(timings(server.port, rows))
            entry["http"] = [wrk(server.port, 1, args.seconds)]
            if rows == 50000:
                entry["http"] += [wrk(server.port, c, args.seconds) for c in (8, 32)]
            entry["rss_after_load_test_mb"] = server.rss_mb()
        finally:
            server.stop()
        entry["seed_total_ms_p50"] = results["seed"][rows]["total_ms_p50"]
        entry["seed_over_us"] = round(entry["seed_total_ms_p50"] / entry["http"][0]["p50_ms"], 1)
        results["sizes"][rows] = entry
        print(rows, json.dumps(entry), flush=True)
    if 50000 in sizes:
        # Settings measured against the defaults on the same index, 1 and 8 clients.
        results["variants_50k"] = []
        for name, env in VARIANTS:
            server = Server(50000, env_extra=env, log_name=f"bench-server-{name.replace(' ', '-')}.log")
            try:
                results["variants_50k"].append({"name": name, "env": env, "timings": timings(server.port, 50000),
                                                "http": [wrk(server.port, c, args.seconds) for c in (1, 8)]})
            finally:
                server.stop()
            print(name + ":", json.dumps(results["variants_50k"][-1]), flush=True)
    results["load_average_end"] = load_average()
    results["minutes"] = round((time.monotonic() - started) / 60, 1)
    with open(os.path.join(ROOT, "bench/results.json"), "w") as f:
        json.dump(results, f, indent=2)
    subprocess.run([PY, os.path.join(ROOT, "bench/report.py")], check=True)


if __name__ == "__main__":
    main()
