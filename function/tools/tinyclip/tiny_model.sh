#!/usr/bin/env bash
# Regenerates the tiny CLIP test model and its reference files from fixed seeds:
#   training gallery (seed 1, 30,000 JPEGs) and held-out gallery (seed 2, 2,000 PNGs) by the Java
#   generator, tokenizer merges, training (seed 1, fixed steps, about 35 minutes on one core), ONNX export, int8 quantization,
#   parity reference files. Called by `make tiny-model`; see function/src/test/resources/tiny-clip/README.md.
set -euo pipefail
PY=${PY:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TOOLS="$ROOT/function/tools/tinyclip"
WORK="$ROOT/work-data"
MODEL="$ROOT/function/src/test/resources/tiny-clip"
REF="$ROOT/function/src/test/resources/tiny-clip-reference"

"$PY" "$TOOLS/check_python.py"
export OPENBLAS_NUM_THREADS=1
cd "$ROOT"
./mvnw -B -ntp -q -pl function compile
./mvnw -B -ntp -q -pl function dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP="$ROOT/function/target/classes:$(cat "$WORK/classpath.txt")"

gallery() { # seed count dir format
  if [ ! -f "$3/captions.jsonl" ] || [ "$(wc -l < "$3/captions.jsonl")" != "$2" ]; then
    rm -rf "$3"
    "$JAVA_HOME/bin/java" -cp "$CP" dev.imagesearch.synth.GalleryWriter --seed "$1" --count "$2" --out "$3" --format "$4"
  fi
}
gallery 1 30000 "$WORK/tinyclip-train" jpg
gallery 2 2000 "$WORK/tinyclip-heldout" png

mkdir -p "$WORK/tinyclip-ckpt"
# One run with fixed seeds: 6,000 steps of batch 128, lr 2e-3 with warmup and cosine decay.
CKPT="$WORK/tinyclip-ckpt/tiny-clip.pt"
"$PY" -u "$TOOLS/train.py" --train "$WORK/tinyclip-train" --heldout "$WORK/tinyclip-heldout" \
  --out "$CKPT" --steps 6000 --batch 128 --lr 2e-3 --seed 1 --threads 1 --vision-width 64 --eval-every 1000
rm -rf "$MODEL/onnx" "$REF"
"$PY" "$TOOLS/export.py" --ckpt "$CKPT" --out "$MODEL" --java-cp "$CP" --java "$JAVA_HOME/bin/java"
for tower in text vision; do
  "$PY" "$TOOLS/quantize.py" "$MODEL/onnx/${tower}_model.onnx" "$MODEL/onnx/${tower}_model_quantized.onnx"
done
"$PY" "$TOOLS/make_reference.py" --ckpt "$CKPT" --out "$REF"
du -b "$MODEL"/onnx/* "$MODEL"/*.json
echo "total under function/src/test/resources: $(du -sb "$ROOT/function/src/test/resources" | cut -f1) bytes"
