#!/usr/bin/env bash
# Writes ViT-B/32-shaped random-weight models to work-data/bench-model (git-ignored). `make bench-model`.
set -euo pipefail
PY=${PY:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TOOLS="$ROOT/function/tools/tinyclip"
WORK="$ROOT/work-data"
"$PY" "$TOOLS/check_python.py"
export OPENBLAS_NUM_THREADS=1
cd "$ROOT"
mkdir -p "$WORK"
./mvnw -B -ntp -q -pl function compile
./mvnw -B -ntp -q -pl function dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP="$ROOT/function/target/classes:$(cat "$WORK/classpath.txt")"
"$PY" "$TOOLS/bench_model.py" --out "$WORK/bench-model" --java-cp "$CP" --java "$JAVA_HOME/bin/java" \
  --clip-vocab "$ROOT/../shared/data/clip-vocab/bpe_simple_vocab_16e6.txt.gz" \
  --tiny-tokenizer "$ROOT/function/src/test/resources/tiny-clip/tokenizer.json"
