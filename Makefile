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

.PHONY: help build test fmt run index tiny-model bench-model bench model package synth deploy s3-local clean

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

# Tiny CLIP test model: Java-generated galleries, training, export, int8, reference files (see
# function/src/test/resources/tiny-clip/README.md). Needs Debian's python3-torch/-onnx/-numpy/-pil.
tiny-model:
	PY=$(PY) function/tools/tinyclip/tiny_model.sh

# ViT-B/32-shaped random-weight models (fp32 + int8) for benchmarks, in work-data/bench-model.
bench-model:
	PY=$(PY) function/tools/tinyclip/bench_model.sh

# Downloads the pinned quantized Xenova/clip-vit-base-patch32 (checksums: function/src/main/resources/
# dev/imagesearch/clip/clip-vit-base-patch32.pins; MODEL_ARGS=--allow-unpinned while they are blank).
model: $(JAR)
	java -cp $(JAR) dev.imagesearch.clip.ModelDownloader --target work-data/model/clip-vit-base-patch32 $(MODEL_ARGS)
