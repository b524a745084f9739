# image-search: `make run` serves the demo at http://localhost:8000, `make test` runs every test tier.
SHELL := /bin/bash
JAVA_HOME := $(shell .ci/find-jdk)
ifeq ($(JAVA_HOME),)
$(error no JDK 21 or newer found; install one (e.g. Temurin 25) and set JAVA_HOME)
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

.PHONY: help build test fmt run index tiny-model bench-model bench bench-search model package synth deploy s3-local clean

help:
	@echo "make run        build, make the demo gallery if absent, index it, serve on http://localhost:$(PORT)"
	@echo "make test       every test tier (unit, model, S3 integration, HTTP/browser, CDK)"
	@echo "make fmt        format all Java code (google-java-format via Spotless)"
	@echo "make tiny-model regenerate the tiny CLIP test model (needs Debian python3-torch, python3-onnx)"
	@echo "make bench-model write full-size ViT-B/32-shaped random-weight models to work-data/bench-model"
	@echo "make bench      run the benchmarks (see docs/benchmarks.md)"
	@echo "make model      download the real quantized CLIP ViT-B/32 (needs internet)"
	@echo "make package    Lambda zip: function/target/image-search-lambda.zip (ARCH=arm64|x86_64)"
	@echo "make synth      synthesize the CDK stack; make deploy deploys it"

build:
	$(MVN) -q -DskipTests package

$(JAR):
	$(MVN) -q -DskipTests -pl function -am package

test:
	$(MVN) spotless:check
	$(MVN) verify

fmt:
	$(MVN) -q spotless:apply

# Search core: scan + top-10 at 50,000 and 1,000,000 rows x 512 (INT8/INT16, 1/2 threads), then the
# memory footprint of 1,000,000 rows under the 1 GB instance's flags. About 5 minutes.
# BENCH_ARGS overrides the JMH arguments, e.g. make bench-search BENCH_ARGS="SearchScan -p rows=50000".
BENCH_ARGS ?= SearchScan -f 1 -wi 2 -i 3 -w 2s -r 2s
BENCH_EXEC = $(MVN) -q -pl function exec:exec -Dexec.executable=$(JAVA_HOME)/bin/java -Dexec.classpathScope=test
bench-search:
	$(MVN) -q -pl function -am test-compile
	$(BENCH_EXEC) -Dexec.args="-cp %classpath dev.imagesearch.bench.Bench $(BENCH_ARGS)"
	$(BENCH_EXEC) -Dexec.args="-Xmx256m -XX:MaxDirectMemorySize=640m -cp %classpath dev.imagesearch.bench.MatrixFootprint 1000000 512"

bench: bench-search
