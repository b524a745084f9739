# image-search: `make run` serves the demo at http://localhost:8000, `make test` runs every test tier.
SHELL := /bin/bash
JAVA_HOME := $(shell .ci/find-jdk)
ifeq ($(JAVA_HOME),)
$(error no JDK of the release pom.xml sets (25) found; install one (e.g. Temurin 25) and set JAVA_HOME)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)
export DJL_OFFLINE := true

MVN := ./mvnw -B -ntp
PY := /usr/bin/python3
JAR := function/target/image-search.jar
PORT ?= 8000
# Local data for the embedded default: images, index and thumbnails (git-ignored).
DATA ?= work-data/demo
IMAGES ?=
MODEL ?=

.PHONY: help build test fmt run rehearse index tiny-model tiny-multilingual bench-model bench bench-query bench-openblas bench-search bench-lambda model package synth deploy s3-local clean bench-index-load bench-calibration soak bench-model-footprint bench-startup

help:
	@echo "make run        build, make the demo gallery if absent, index it, serve on http://localhost:$(PORT)"
	@echo "make index     index IMAGES=folder|s3://bucket/prefix into DATA (incremental, resumable)"
	@echo "make test       every test tier (unit, model, S3 integration, HTTP/browser, CDK)"
	@echo "make fmt        format all Java code (google-java-format via Spotless)"
	@echo "make tiny-model regenerate the tiny CLIP test model (needs Debian python3-torch, python3-onnx)"
	@echo "make tiny-multilingual train the tiny model's French+English student text tower (a few minutes)"
	@echo "make bench-model write full-size ViT-B/32-shaped random-weight models to work-data/bench-model"
	@echo "make bench      run the benchmarks (see docs/benchmarks.md)"
	@echo "make model      download the real quantized CLIP ViT-B/32 (needs internet)"
	@echo "make package    Lambda zip: function/target/image-search-lambda.zip (ARCH=arm64|x86_64)"
	@echo "make rehearse   the deploy runbook without AWS: model push, index, EC2 unit, Lambda zip (S3Proxy)"
	@echo "make synth      synthesize the CDK stack (CONTEXT=\"lambda=true ...\"); make deploy deploys it (see infra-cdk/README.md)"

build:
	$(MVN) -q -DskipTests package

test:
	$(MVN) spotless:check
	$(MVN) verify

fmt:
	$(MVN) -q spotless:apply

# Tiny CLIP test model: Java-generated galleries, training, export, int8, reference files (see
# function/src/test/resources/tiny-clip/README.md). Needs Debian's python3-torch/-onnx/-numpy/-pil.
tiny-model:
	PY=$(PY) function/tools/tinyclip/tiny_model.sh

# The tiny model's multilingual (English + French) student text tower, distilled onto the committed
# English tower in a few minutes on one core, without retraining the CLIP (see tiny-clip/README.md).
tiny-multilingual:
	PY=$(PY) function/tools/tinyclip/multilingual_model.sh

# ViT-B/32-shaped random-weight models (fp32 + int8) for benchmarks, in work-data/bench-model.
bench-model:
	PY=$(PY) function/tools/tinyclip/bench_model.sh

# ---- run: the embedded default ---------------------------------------------------------------
# The real model when `make model` fetched it, else the tiny test model (the page says which).
# Every file counts: an interrupted `make model` leaves the first ones, and then `make run` must
# fetch the rest (the download resumes) rather than index with a model that cannot load.
REAL_MODEL := work-data/model/clip-vit-base-patch32
TINY_MODEL := function/src/test/resources/tiny-clip
REAL_MODEL_FILES := config.json preprocessor_config.json tokenizer.json onnx/text_model_quantized.onnx onnx/vision_model_quantized.onnx
ifeq ($(MODEL),)
MODEL := $(if $(filter-out $(wildcard $(addprefix $(REAL_MODEL)/,$(REAL_MODEL_FILES))),$(addprefix $(REAL_MODEL)/,$(REAL_MODEL_FILES))),$(TINY_MODEL),$(REAL_MODEL))
endif
ifeq ($(IMAGES),)
GALLERY := work-data/demo-gallery
else
GALLERY := $(IMAGES)
DATA := work-data/collections/$(notdir $(abspath $(IMAGES)))
endif
# jdk.incubator.vector: the scan kernel's Vector API (same flag as the EC2 unit and Lambda).
JAVA_RUN := java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmx512m

# Builds the executable jar (not the Lambda zip) unless it is newer than every source.
SOURCES := $(shell find function/src/main template-assets -type f 2>/dev/null) function/pom.xml pom.xml
$(JAR): $(SOURCES)
	$(MVN) -q -o -DskipTests -Dassembly.skipAssembly=true -pl function package || \
	  $(MVN) -q -DskipTests -Dassembly.skipAssembly=true -pl function package
	@touch $(JAR)

work-data/demo-gallery/captions.jsonl: | $(JAR)
	@echo "making the demo gallery (synthetic captioned shapes) in work-data/demo-gallery"
	$(JAVA_RUN) -cp $(JAR) dev.imagesearch.synth.GalleryWriter --seed 7 --count 300 --out work-data/demo-gallery --format jpg

# Example queries the first page offers on the demo gallery.
DEMO_EXAMPLES ?= three red circles|a large yellow star|red circles + large|deux étoiles violettes
# Your own photos with only the built-in tiny model present: fetch the real model first (make
# model, with the same MODEL_ARGS), or stop with what to do, instead of serving meaningless
# results. FirstSearchIT runs both paths against a local model host (HF_ENDPOINT).
TINY_ONLY := The built-in model only knows coloured shapes; photos need the real CLIP model.
# Your own images with only the tiny model: fetch the real model first, or stop (exit 2) before
# anything is indexed. $(call real_model_first,<target>) in a recipe; then index with $(IMAGES_MODEL).
define real_model_first
@if [ -n "$(IMAGES)" ] && [ "$(MODEL)" = "$(TINY_MODEL)" ]; then \
  echo "$(TINY_ONLY) Fetching it first: make model"; \
  $(MAKE) --no-print-directory model || { \
    echo "error: $(TINY_ONLY) Run \`make model$(if $(MODEL_ARGS), MODEL_ARGS='$(MODEL_ARGS)')\` on a machine that reaches huggingface.co, then \`make $(1) IMAGES=$(IMAGES)\` again."; \
    exit 2; }; \
fi
endef
IMAGES_MODEL = $(if $(and $(IMAGES),$(filter $(TINY_MODEL),$(MODEL))),$(REAL_MODEL),$(MODEL))

run: $(JAR) $(if $(IMAGES),,work-data/demo-gallery/captions.jsonl)
	@test -d "$(GALLERY)" || { echo "error: IMAGES=$(GALLERY) is not a folder"; exit 2; }
	$(call real_model_first,run)
	@echo "model: $(IMAGES_MODEL)"; \
	DJL_OFFLINE=true $(JAVA_RUN) -jar $(JAR) index --images "$(GALLERY)" --index "$(DATA)" --model "$(IMAGES_MODEL)" && \
	IMAGE_SEARCH_MODEL="$(IMAGES_MODEL)" IMAGE_SEARCH_STORE="$(DATA)" PORT=$(PORT) \
	  $(if $(IMAGES),,IMAGE_SEARCH_EXAMPLES="$(DEMO_EXAMPLES)") $(JAVA_RUN) -jar $(JAR) serve

# Index a folder or S3 prefix into a store (incremental and resumable; exit codes in README):
#   make index IMAGES=~/photos [DATA=work-data/mine] [MODEL=...] [INDEX_ARGS="--threads 2 --batch 16"]
# Without IMAGES it indexes the demo gallery into $(DATA).
INDEX_ARGS ?=
index: $(JAR) $(if $(IMAGES),,work-data/demo-gallery/captions.jsonl)
	$(call real_model_first,index)
	@echo "model: $(IMAGES_MODEL)"
	DJL_OFFLINE=true $(JAVA_RUN) -jar $(JAR) index --images "$(GALLERY)" --index "$(DATA)" --model "$(IMAGES_MODEL)" $(INDEX_ARGS)

# ---- Lambda ----------------------------------------------------------------------------------
# The zip's natives must match the function's architecture: ARCH follows lambdaArch in CONTEXT.
ARCH ?= $(or $(patsubst lambdaArch=%,%,$(filter lambdaArch=%,$(CONTEXT))),arm64)
LAMBDA_ZIP := function/target/image-search-lambda.zip
$(LAMBDA_ZIP): $(SOURCES)
	@case "$(ARCH)" in arm64|x86_64) ;; *) echo "error: ARCH must be arm64 or x86_64, got $(ARCH)"; exit 2;; esac
	$(MVN) -q -o -DskipTests -Dlambda.arch=$(ARCH) -pl function package || \
	  $(MVN) -q -DskipTests -Dlambda.arch=$(ARCH) -pl function package
	@touch $(LAMBDA_ZIP) $(JAR)
package:
	@case "$(ARCH)" in arm64|x86_64) ;; *) echo "error: ARCH must be arm64 or x86_64, got $(ARCH)"; exit 2;; esac
	$(MVN) -q -DskipTests -Dlambda.arch=$(ARCH) -pl function -am package
	@ls -l function/target/image-search-lambda.zip
	@unzip -l function/target/image-search-lambda.zip | tail -1 | awk '{printf "unzipped: %.1f MB in %d files\n", $$1/1e6, $$2}'
# A local S3-compatible server (S3Proxy, filesystem backend under work-data/s3, SigV4 on) on
# localhost:$(S3_PORT) with bucket image-search; it prints the environment for `make run`.
S3_PORT ?= 9000
s3-local:
	$(MVN) -q -pl function -am test-compile
	$(MVN) -q -pl function exec:java -Dexec.classpathScope=test \
	  -Dexec.mainClass=dev.imagesearch.store.S3LocalMain -Dexec.args="work-data/s3 $(S3_PORT) image-search"

# The runbook's steps that need no AWS (docs/deploy.md), against S3Proxy in process: model push,
# index to the bucket, the EC2 unit's exact ExecStart with its env file as .env, and the Lambda zip
# under the Runtime Interface Client. Also part of `make test` (RehearsalIT). About a minute.
rehearse:
	$(MVN) -q -pl function verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=RehearsalIT
	@echo "rehearse: model push, index, EC2 unit and Lambda zip all answered (RehearsalIT)"

# Load time and memory of a 50,000 x 512 float16 index from S3Proxy (see IndexLoadBenchmark).
bench-index-load:
	$(MVN) -q -pl function -am test-compile
	$(MVN) -q -pl function exec:java -Dexec.classpathScope=test \
	  -Dexec.mainClass=dev.imagesearch.store.IndexLoadBenchmark -Dexec.args="50000 512"
# CDK: context as key=value words, e.g. make synth CONTEXT="lambda=true instanceType=t3.micro".
# synth runs the Java app directly (no CDK CLI, no AWS account, works offline after `make test`);
# deploy uses the CLI pinned in infra-cdk/package.json and your AWS credentials.
CONTEXT ?=
synth: $(JAR)
	cd infra-cdk && rm -rf cdk.out && CDK_OUTDIR=cdk.out ./app.sh $(CONTEXT)
	@if grep -q '"Non-Compliant"' infra-cdk/cdk.out/AwsSolutions-*-NagReport.csv; then \
	  grep '"Non-Compliant"' infra-cdk/cdk.out/AwsSolutions-*-NagReport.csv; \
	  echo "synth: unsuppressed cdk-nag findings (fix them or suppress with a reason in NagRules)"; exit 1; fi
	@echo "synth: infra-cdk/cdk.out/ImageSearch.template.json (cdk-nag report: infra-cdk/cdk.out/AwsSolutions-ImageSearch-NagReport.csv)"

# deploy: a fresh jar and Lambda zip (rebuilt when a source is newer; the stack refuses a zip whose
# natives are not the function's architecture), then `cdk deploy`. The context in effect is saved
# to infra-cdk/deploy-settings.json, so a later plain `make deploy` keeps lambda=true and the rest.
deploy: $(JAR) $(LAMBDA_ZIP)
	cd infra-cdk && { [ -d node_modules/aws-cdk ] || npm ci --no-audit --no-fund; } \
	  && IMAGE_SEARCH_SAVE_CONTEXT=true npx --no-install cdk deploy --require-approval never \
	     $(foreach c,$(CONTEXT),-c $(c))
# Search core: scan + top-10 at 50,000 and 1,000,000 rows x 512 (INT8/INT16, 1/2 threads), then the
# memory footprint of 1,000,000 rows under the 1 GB instance's flags. About 5 minutes.
# BENCH_ARGS overrides the JMH arguments, e.g. make bench-search BENCH_ARGS="SearchScan -p rows=50000".
BENCH_ARGS ?= SearchScan -f 1 -wi 2 -i 3 -w 2s -r 2s
BENCH_EXEC = $(MVN) -q -pl function exec:exec -Dexec.executable=$(JAVA_HOME)/bin/java -Dexec.classpathScope=test
bench-search:
	$(MVN) -q -pl function -am test-compile
	$(BENCH_EXEC) -Dexec.args="-cp %classpath dev.imagesearch.bench.Bench $(BENCH_ARGS)"
	$(BENCH_EXEC) -Dexec.args="-Xmx128m -XX:MaxDirectMemorySize=512m -cp %classpath dev.imagesearch.bench.MatrixFootprint 1000000 512"

# The query path for us and for the seed's stack at 10k..1M rows, HTTP load test with wrk, ONNX
# Runtime settings: bench/results.json, docs/benchmarks.md ("Query path") and
# docs/benchmarks-latency.svg, in about 10 minutes (bench/run_bench.py). Then the scan kernels alone
# (JMH, 50,000 and 1,000,000 rows, Vector API vs scalar, 1 and 2 threads for the INT8 one the
# service uses at 1M), the memory floor beside them (reading the same bytes with no work), and the
# 1,000,000-row memory footprint.
BENCH_SIZES ?= 10000,50000,250000,1000000
bench: bench-query
	$(BENCH_EXEC) -Dexec.args="-cp %classpath dev.imagesearch.bench.Bench SearchScan -f 1 -wi 2 -i 3 -w 1s -r 1s -p threads=1"
	$(BENCH_EXEC) -Dexec.args="-cp %classpath dev.imagesearch.bench.Bench SearchScan|MemoryFloor -f 1 -wi 2 -i 3 -w 1s -r 1s -p threads=2 -p kernel=best -p precision=INT8"
	$(BENCH_EXEC) -Dexec.args="-Xmx128m -XX:MaxDirectMemorySize=512m -cp %classpath dev.imagesearch.bench.MatrixFootprint 1000000 512"

# OpenBLAS for the seed's stack only (Debian's PyTorch otherwise runs on the reference BLAS, ~20x
# slower than the MKL build the seed used): the Debian package unpacked into work-data/openblas.
bench-openblas:
	@test -f work-data/openblas/libblas.so.3 || { mkdir -p work-data/openblas/deb && cd work-data/openblas/deb && \
	  apt-get download libopenblas0-pthread && dpkg -x libopenblas0-pthread_*.deb x && \
	  cp -a x/usr/lib/x86_64-linux-gnu/openblas-pthread/* ..; }

bench-query: $(JAR) bench-openblas
	@test -f $(BENCH_MODEL)/onnx/text_model_quantized.onnx || { echo "no $(BENCH_MODEL): run make bench-model (or link /work/main/work-data/bench-model)"; exit 2; }
	$(MVN) -q -o -pl function test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
	$(PY) bench/run_bench.py --sizes $(BENCH_SIZES)

# Start to first answer and RSS at 50,000 rows with and without the AOT cache and the saved
# ONNX Runtime graph, alternating (bench/startup_bench.py, bench/startup.json; docs/benchmarks.md
# "Start-up and memory"). About 5 minutes. BENCH_STARTUP_ARGS e.g. "--rounds 3 --variants plain,both".
bench-startup: $(JAR)
	@test -f $(BENCH_MODEL)/onnx/text_model_quantized.onnx || { echo "no $(BENCH_MODEL): run make bench-model (or link /work/main/work-data/bench-model)"; exit 2; }
	@test -f work-data/bench-index/50000/index/CURRENT || { echo "no 50,000-row index: run make bench-query BENCH_SIZES=50000 once"; exit 2; }
	$(PY) bench/startup_bench.py $(BENCH_STARTUP_ARGS)

# Resident memory with the int8 text tower loaded, under the EC2 unit's heap flags: the starting
# figure of the unit's memory budget (ec2/image-search.service, docs/deploy.md "Memory").
bench-model-footprint:
	$(MVN) -q -pl function -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
	CLASSPATH=function/target/test-classes:function/target/classes:$$(cat function/target/test-classpath.txt) \
	  java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xss512k -Xms64m -Xmx128m \
	  dev.imagesearch.bench.ModelFootprint $(abspath $(BENCH_MODEL))

# Relevance calibration: its cost at 50,000 rows next to embedding, its query-time cost, and the
# random-weight model's confusion table on 600 generated scenes (make bench-model first). Minutes.
# The classpath goes through CLASSPATH: ONNX Runtime 1.29 crashes on very long command lines.
bench-calibration:
	$(MVN) -q -pl function -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
	CLASSPATH=function/target/test-classes:function/target/classes:$$(cat function/target/test-classpath.txt) \
	  java --enable-native-access=ALL-UNNAMED dev.imagesearch.bench.CalibrationBenchmark $(abspath $(BENCH_MODEL)) 50000 600

# ---- soak: load, slow clients and SIGTERM on the socket server (docs/reliability.md) -----------
soak: $(JAR)
	$(MVN) -q -pl function -am test-compile
	function/tools/soak/soak.sh $(SOAK_ARGS)

# ---- the real model ---------------------------------------------------------------------------
# Downloads the public quantized CLIP ViT-B/32 (Xenova/clip-vit-base-patch32) into work-data/model.
# The sha256 pins in function/src/main/resources/dev/imagesearch/clip/clip-vit-base-patch32.pins
# are not filled in yet (huggingface.co is unreachable from the build machines): until they are,
# each file is checked against the hub's own content address at the pinned commit (LFS sha256 or
# Git blob id) and its sha256 is printed to paste there. MODEL_ARGS=--allow-unpinned skips that
# check, for a host that gives no address.
# HF_ENDPOINT=https://... downloads from a mirror of huggingface.co (same paths).
MODEL_ARGS ?=
model: $(JAR)
	$(JAVA_RUN) -cp $(JAR) dev.imagesearch.clip.ModelDownloader --target $(REAL_MODEL) $(MODEL_ARGS)
	@# The optional multilingual text tower (sentence-transformers/clip-ViT-B-32-multilingual-v1) into
	@# the same folder; skipped with MULTILINGUAL=0. See docs/multilingual.md.
	@if [ "$(MULTILINGUAL)" != "0" ]; then \
	  $(JAVA_RUN) -cp $(JAR) dev.imagesearch.clip.ModelDownloader --multilingual --target $(REAL_MODEL) $(MODEL_ARGS); fi

# Lambda init and first-query times, cold and primed (SnapStart hooks), each in a fresh JVM,
# with the full-size int8 benchmark model (make bench-model) and a 50,000-row index.
BENCH_MODEL ?= work-data/bench-model
BENCH_ROWS ?= 50000
# The classpath goes through CLASSPATH: ONNX Runtime 1.29 crashes on very long command lines.
bench-lambda:
	$(MVN) -q -pl function -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
	for mode in cold primed; do \
	  CLASSPATH=function/target/test-classes:function/target/classes:$$(cat function/target/test-classpath.txt) \
	    java --enable-native-access=ALL-UNNAMED dev.imagesearch.bench.LambdaInitBenchmark $$mode $(abspath $(BENCH_MODEL)) $(BENCH_ROWS); \
	done
