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
	@echo "make synth      synthesize the CDK stack (CONTEXT=\"lambda=true ...\"); make deploy deploys it (see infra-cdk/README.md)"

build:
	$(MVN) -q -DskipTests package

$(JAR):
	$(MVN) -q -DskipTests -pl function -am package

test:
	$(MVN) spotless:check
	$(MVN) verify

fmt:
	$(MVN) -q spotless:apply

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

deploy: $(JAR)
	cd infra-cdk && { [ -d node_modules/aws-cdk ] || npm ci --no-audit --no-fund; } \
	  && npx --no-install cdk deploy $(foreach c,$(CONTEXT),-c $(c))
