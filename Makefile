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

.PHONY: help build test fmt run index tiny-model bench-model bench model package synth deploy s3-local clean bench-index-load

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

# A local S3-compatible server (S3Proxy, filesystem backend under work-data/s3, SigV4 on) on
# localhost:$(S3_PORT) with bucket image-search; it prints the environment for `make run`.
S3_PORT ?= 9000
s3-local:
	$(MVN) -q -pl function -am test-compile
	$(MVN) -q -pl function exec:java -Dexec.classpathScope=test \
	  -Dexec.mainClass=dev.imagesearch.store.S3LocalMain -Dexec.args="work-data/s3 $(S3_PORT) image-search"

# Load time and memory of a 50,000 x 512 float16 index from S3Proxy (see IndexLoadBenchmark).
bench-index-load:
	$(MVN) -q -pl function -am test-compile
	$(MVN) -q -pl function exec:java -Dexec.classpathScope=test \
	  -Dexec.mainClass=dev.imagesearch.store.IndexLoadBenchmark -Dexec.args="50000 512"
