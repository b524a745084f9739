#!/usr/bin/env bash
# Runs the CDK app (dev.imagesearch.infra.InfraApp) with plain java on the classpath Maven wrote to
# target/classpath.txt: `make synth` calls it directly (no CDK CLI, works offline), and the CDK CLI
# calls it through cdk.json. Arguments are context as key=value (the CLI passes its -c values
# through the environment instead). Writes to $CDK_OUTDIR (default: a temp folder).
set -euo pipefail
cd "$(dirname "$0")"
# Compile only when the sources or the POM changed since the last run (or `make test`).
stamp=target/app.stamp
if [ ! -f target/classpath.txt ] || [ ! -f "$stamp" ] \
    || [ -n "$(find src/main pom.xml -newer "$stamp" -print -quit)" ]; then
  ../mvnw -B -ntp -q -f ../pom.xml -pl infra-cdk process-classes >&2
  touch "$stamp"
fi
java_home=${JAVA_HOME:-$(../.ci/find-jdk)}
exec "$java_home/bin/java" -cp "target/classes:$(cat target/classpath.txt)" \
  dev.imagesearch.infra.InfraApp "$@"
