#!/usr/bin/env bash
# Trains the tiny model's multilingual student text tower (English + French) and writes it next to
# the committed tiny CLIP, from fixed seeds, without retraining the CLIP itself (make tiny-model):
#   the English/French description corpus (Java grammar, dev.imagesearch.synth.CaptionPairs),
#   distillation onto the committed English text tower (train_multilingual.py, seed 15, one thread),
#   ONNX export, int8 twin (quantize.py), tokenizer_multilingual.json, reference file.
# Called by `make tiny-multilingual`; see function/src/test/resources/tiny-clip/README.md.
set -euo pipefail
PY=${PY:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TOOLS="$ROOT/function/tools/tinyclip"
WORK="$ROOT/work-data"
MODEL="$ROOT/function/src/test/resources/tiny-clip"
REF="$ROOT/function/src/test/resources/tiny-clip-reference"

"$PY" "$TOOLS/check_python.py"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
cd "$ROOT"
mkdir -p "$WORK"
./mvnw -B -ntp -q -pl function compile
./mvnw -B -ntp -q -pl function dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null
CP="$ROOT/function/target/classes:$(cat "$WORK/classpath.txt")"
"$JAVA_HOME/bin/java" -cp "$CP" dev.imagesearch.synth.CaptionPairs "$WORK/caption-pairs.jsonl"
"$PY" -u "$TOOLS/train_multilingual.py" --teacher "$MODEL" --pairs "$WORK/caption-pairs.jsonl" \
  --reference "$REF" --out "$MODEL" --ref-out "$REF/multilingual.json" --java-cp "$CP" \
  --java "$JAVA_HOME/bin/java" --steps 400 --batch 128 --lr 2e-3 --seed 15
"$PY" "$TOOLS/quantize.py" "$MODEL/onnx/text_model_multilingual.onnx" \
  "$MODEL/onnx/text_model_multilingual_quantized.onnx"
du -b "$MODEL"/onnx/text_model_multilingual*.onnx "$MODEL/tokenizer_multilingual.json"
