#!/usr/bin/env bash
# make soak: the socket server under sustained load and slow clients, with the EC2 unit's JVM
# flags, a 50,000-row index and the full-size int8 bench model (the tiny model when that is
# absent, and the report says so). Writes the figures into docs/reliability.md between the
# soak markers.
#
# usage: function/tools/soak/soak.sh [ROWS] [SECONDS] [CONCURRENCY]
set -euo pipefail
ROWS=${1:-50000}
SECONDS_PER_RUN=${2:-60}
CONCURRENCY=${3:-64}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
JAR=function/target/image-search.jar
WORK=work-data/soak
BENCH_MODEL=work-data/bench-model
MODEL=$BENCH_MODEL
MODEL_NOTE="full-size ViT-B/32-shaped int8 bench model ($BENCH_MODEL)"
if [ ! -f "$BENCH_MODEL/onnx/text_model_quantized.onnx" ]; then
  MODEL=function/src/test/resources/tiny-clip
  MODEL_NOTE="TINY test model (no $BENCH_MODEL: run make bench-model for the full-size one)"
fi
command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)"; exit 2; }

rm -rf "$WORK" && mkdir -p "$WORK"
echo "== index: $ROWS rows for $MODEL"
./mvnw -B -ntp -q -pl function exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.imagesearch.server.SoakIndex \
  -Dexec.args="$WORK/store $MODEL $ROWS"

PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The EC2 unit's JVM flags, read from its ExecStart (ec2/image-search.service) so they cannot drift:
# everything between the java binary and -jar, without the AOT/CDS cache options (the cache lives
# on the instance, trained by install.sh). And the unit's own Environment= lines (malloc settings).
FLAGS=$(sed -n 's|^ExecStart=/usr/bin/java \(.*\) -jar .*|\1|p' ec2/image-search.service \
  | tr ' ' '\n' | grep -v -e SharedArchiveFile -e AutoCreateSharedArchive -e AOTCache | tr '\n' ' ')
[ -n "$FLAGS" ] || { echo "soak: no ExecStart flags found in ec2/image-search.service" >&2; exit 2; }
UNIT_ENV=$(sed -n 's|^Environment=||p' ec2/image-search.service | tr '\n' ' ')
env $UNIT_ENV DJL_OFFLINE=true IMAGE_SEARCH_MODEL="$MODEL" IMAGE_SEARCH_STORE="$WORK/store" PORT=$PORT \
  IMAGE_SEARCH_INDEX_POLL=0 java $FLAGS -jar "$JAR" serve > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz" && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/readyz" > "$WORK/readyz.json" || { cat "$WORK/server.log"; exit 1; }
cat "$WORK/readyz.json"; echo

rss() { awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$PID/status; }
threads() { ls /proc/$PID/task | wc -l; }
fds() { ls /proc/$PID/fd | wc -l; }
START_THREADS=$(threads); START_FDS=$(fds); START_RSS=$(rss)
echo "ready, before any load: RSS $START_RSS MB, $START_THREADS threads, $START_FDS fds"
# Warm-up (JIT, heap growth, ONNX Runtime arenas): 30 s at the same concurrency, not counted.
# wrk's own timeout is raised to 30 s so slow answers are measured, not dropped as errors.
WRK="wrk -t2 -c$CONCURRENCY --timeout 30s -s function/tools/soak/queries.lua"
$WRK -d30s "http://127.0.0.1:$PORT" > /dev/null
sleep 2
BASE_THREADS=$(threads); BASE_FDS=$(fds); BASE_RSS=$(rss)
echo "baseline after warm-up: RSS $BASE_RSS MB, $BASE_THREADS threads, $BASE_FDS fds"

ROWS_MD=""
RSS_LIST=()
for run in 1 2 3; do
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  $WRK -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$PORT" > "$WORK/wrk-$run.txt"
  R=$(rss); RSS_LIST+=("$R")
  REQ=$(awk '/requests in/{print $1}' "$WORK/wrk-$run.txt")
  RPS=$(awk '/Requests\/sec/{print $2}' "$WORK/wrk-$run.txt")
  P50=$(awk '$1=="50%"{print $2}' "$WORK/wrk-$run.txt")
  P99=$(awk '$1=="99%"{print $2}' "$WORK/wrk-$run.txt")
  NON2XX=$(awk '/Non-2xx/{print $NF}' "$WORK/wrk-$run.txt"); NON2XX=${NON2XX:-0}
  SOCKERR=$(awk -F'Socket errors: ' '/Socket errors/{print $2}' "$WORK/wrk-$run.txt"); SOCKERR=${SOCKERR:-none}
  echo "run $run: $REQ requests, $RPS req/s, p50 $P50, p99 $P99, non-2xx $NON2XX, socket errors $SOCKERR, RSS $R MB (load $LOAD)"
  ROWS_MD+="| $run | $REQ | $RPS | $P50 | $P99 | $NON2XX | $SOCKERR | $R | $LOAD |"$'\n'
done
sleep 5
AFTER_THREADS=$(threads); AFTER_FDS=$(fds)
GROWTH=$(/usr/bin/python3 -c "a,c=${RSS_LIST[0]},${RSS_LIST[2]}; print(round((c-a)/a*100,1))")
echo "RSS growth run 1 -> 3: $GROWTH %; threads $BASE_THREADS -> $AFTER_THREADS; fds $BASE_FDS -> $AFTER_FDS"

echo "== slow clients"
SLOW=$(/usr/bin/python3 function/tools/soak/slow_clients.py "$PORT" 20)
echo "$SLOW"
sleep 12  # the header timeout (10 s) cuts the remaining tricklers off
SLOW_THREADS=$(threads); SLOW_FDS=$(fds)

echo "== graceful stop (SIGTERM while loaded)"
wrk -t1 -c8 -d5s -s function/tools/soak/queries.lua "http://127.0.0.1:$PORT" > "$WORK/wrk-stop.txt" &
WRK=$!
sleep 2
T0=$(date +%s.%N); kill -TERM $PID
set +e; wait $PID; EXIT=$?; set -e
T1=$(date +%s.%N); wait $WRK || true
STOP_S=$(/usr/bin/python3 -c "print(round($T1-$T0,2))")
echo "exit status $EXIT after $STOP_S s"
trap - EXIT

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
{
  echo "<!-- soak:begin -->"
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`make soak\` (\`function/tools/soak/soak.sh $ROWS $SECONDS_PER_RUN $CONCURRENCY\`) on $(nproc) cores ($CPU), shared with other builds: load average (1, 5, 15 min) per run in the table."
  echo
  echo "- Model: $MODEL_NOTE; index: $ROWS random unit rows (float16), JVM flags of the EC2 unit (\`$FLAGS\`) and its environment (\`$UNIT_ENV\`)."
  echo "- Load: \`wrk -t2 -c$CONCURRENCY --timeout 30s -d${SECONDS_PER_RUN}s\`, every request a different query (no embedding cache hits), after a 30 s warm-up; three runs back to back on one process."
  echo
  echo "| run | requests | req/s | p50 | p99 | non-2xx | socket errors | RSS after (MB) | load |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf "%s" "$ROWS_MD"
  echo
  echo "- RSS: $BASE_RSS MB after warm-up; growth from run 1 to run 3: **$GROWTH %**."
  echo "- Threads: $START_THREADS when ready (before any load), $BASE_THREADS after warm-up, $AFTER_THREADS 5 s after the runs; file descriptors: $START_FDS, $BASE_FDS, $AFTER_FDS."
  echo "- RSS when ready, before any load: $START_RSS MB."
  echo "- Slow clients (500 idle kept-alive connections + 50 clients sending headers one byte a second, normal queries every 0.2 s for 20 s): \`$SLOW\`; afterwards $SLOW_THREADS threads, $SLOW_FDS fds."
  echo "- SIGTERM under load (8 clients): exit status $EXIT (143 = 128 + SIGTERM, the unit's SuccessExitStatus) after $STOP_S s."
  echo "<!-- soak:end -->"
} > "$WORK/section.md"
/usr/bin/python3 - "$WORK/section.md" docs/reliability.md <<'PY'
import re, sys
section = open(sys.argv[1]).read().strip()
doc = open(sys.argv[2]).read()
doc = re.sub(r"<!-- soak:begin -->.*<!-- soak:end -->", lambda m: section, doc, flags=re.S)
open(sys.argv[2], "w").write(doc)
PY
echo "== written to docs/reliability.md"
