#!/usr/bin/env bash
# Installs (or updates) image-search as a systemd service on Amazon Linux 2023.
# The CDK stack's user data runs it; it works the same on a hand-made instance:
#
#   sudo ./install.sh --jar ./image-search.jar --bucket my-images --region eu-west-1
#
# Idempotent: run it again with a new jar to upgrade. It installs Corretto 25 unless java is 25,
# creates the system user, adds a swap file on small instances, installs the unit and the
# environment file, trains the JDK's ahead-of-time cache with one start and a few queries, and
# starts the service.
#
# Options (or the environment variable in brackets):
#   --jar PATH           the executable jar to install                 [JAR]   (required)
#   --bucket NAME        the S3 bucket with images/, thumbs/, index/   [BUCKET_NAME]
#   --region REGION      the bucket's region                           [AWS_REGION]
#   --env-file PATH      use this environment file as is (instead of rendering the template)
#   --unit PATH          the unit file       (default: next to this script)
#   --env-template PATH  the env template    (default: next to this script)
#   --no-start           install only, do not (re)start the service
#   --print-aot-commands print the AOT training and creation command lines derived from the
#                        unit's ExecStart, and exit (changes nothing)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-}
bucket=${BUCKET_NAME:-}
region=${AWS_REGION:-}
env_file=
unit="$here/image-search.service"
env_template="$here/image-search.env.template"
start=yes
print_aot=no

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

# The JDK's ahead-of-time cache (JDK 25: classes loaded and linked, method profiles) is made from
# the unit's own ExecStart, so training, creation and service run the same JVM options and class
# path (the JVM ignores a cache made with others). Training: the command with -XX:AOTCache=FILE
# replaced by -XX:AOTMode=record -XX:AOTConfiguration=FILE.conf (run as the service, written when
# it stops). Creation: the same options with -XX:AOTMode=create and no command after the jar.
exec_start() { sed -n 's/^ExecStart=//p' "$1"; }
aot_cache_of() { exec_start "$1" | grep -o -- '-XX:AOTCache=[^ ]*' | cut -d= -f2; }
aot_training_command() {
  local cmd cache
  cmd=$(exec_start "$1"); cache=$(aot_cache_of "$1")
  echo "${cmd/-XX:AOTCache=$cache/-XX:AOTMode=record -XX:AOTConfiguration=$cache.conf}"
}
aot_create_command() {
  local cmd cache
  cmd=$(exec_start "$1"); cache=$(aot_cache_of "$1")
  cmd=${cmd% serve}
  echo "${cmd/-XX:AOTCache=$cache/-XX:AOTMode=create -XX:AOTConfiguration=$cache.conf -XX:AOTCache=$cache}"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --bucket) bucket=$2; shift 2 ;;
    --region) region=$2; shift 2 ;;
    --env-file) env_file=$2; shift 2 ;;
    --unit) unit=$2; shift 2 ;;
    --env-template) env_template=$2; shift 2 ;;
    --no-start) start=no; shift ;;
    --print-aot-commands) print_aot=yes; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "install.sh: $*" >&2; exit 1; }
if [ "$print_aot" = yes ]; then
  [ -f "$unit" ] || fail "unit file not found: $unit"
  [ -n "$(aot_cache_of "$unit")" ] || fail "the unit's ExecStart has no -XX:AOTCache=FILE"
  aot_training_command "$unit"
  aot_create_command "$unit"
  exit 0
fi
[ "$(id -u)" = 0 ] || fail "run as root (sudo)"
[ -n "$jar" ] || fail "--jar is required"
[ -f "$jar" ] || fail "jar not found: $jar"
[ -f "$unit" ] || fail "unit file not found: $unit"
if [ -z "$env_file" ] && [ ! -f /etc/image-search/image-search.env ]; then
  [ -n "$bucket" ] || fail "--bucket is required for a first install (or pass --env-file)"
  [ -n "$region" ] || region=$(TOKEN=$(curl -sf -X PUT http://169.254.169.254/latest/api/token \
      -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') && curl -sf -H "X-aws-ec2-metadata-token: $TOKEN" \
      http://169.254.169.254/latest/meta-data/placement/region) || fail "--region is required"
fi

# 1. Java: Corretto 25 headless, the root pom.xml's java.release (a test keeps the two in step),
#    from the Amazon Linux 2023 repositories; the unit runs /usr/bin/java, so that must be it.
java_release=25
java_major() { java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" != "$java_release" ]; then
  dnf install -y "java-$java_release-amazon-corretto-headless"
  alternatives --set java "$(readlink -f "/usr/lib/jvm/java-$java_release-amazon-corretto/bin/java")" || true
fi
[ "$(java_major)" = "$java_release" ] \
  || fail "/usr/bin/java is Java $(java_major), not $java_release (sudo alternatives --config java)"

# 2. A system user with no login shell and no home.
if ! id image-search >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /sbin/nologin image-search
fi

# 3. Swap: a 1 GB instance needs a cushion for the JVM plus ONNX Runtime during start-up.
mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
if [ "$mem_kb" -lt 2000000 ] && [ ! -f /swapfile ]; then
  dd if=/dev/zero of=/swapfile bs=1M count=1024 status=none
  chmod 600 /swapfile
  mkswap /swapfile >/dev/null
  grep -q '^/swapfile ' /etc/fstab || echo '/swapfile none swap sw 0 0' >> /etc/fstab
fi
if [ -f /swapfile ] && ! swapon --show=NAME --noheadings | grep -qx /swapfile; then
  swapon /swapfile
fi

# 4. The jar, the unit and the environment file. A running old version is stopped first, and its
#    AOT cache removed: the cache belongs to the old jar (app.jsa: the CDS archive of versions
#    before the AOT cache).
if systemctl is-active --quiet image-search 2>/dev/null; then
  systemctl stop image-search
fi
rm -f /var/lib/image-search/app.jsa /var/lib/image-search/app.aot /var/lib/image-search/app.aot.conf
install -d -m 755 /opt/image-search /etc/image-search
install -m 644 "$jar" /opt/image-search/image-search.jar
install -m 644 "$unit" /etc/systemd/system/image-search.service
if [ -n "$env_file" ]; then
  install -m 640 -g image-search "$env_file" /etc/image-search/image-search.env
elif [ ! -f /etc/image-search/image-search.env ]; then
  [ -f "$env_template" ] || fail "env template not found: $env_template"
  sed -e "s|__BUCKET_NAME__|$bucket|g" -e "s|__AWS_REGION__|$region|g" "$env_template" \
    > /etc/image-search/image-search.env
  chgrp image-search /etc/image-search/image-search.env
  chmod 640 /etc/image-search/image-search.env
fi

systemctl daemon-reload
systemctl enable image-search
[ "$start" = yes ] || exit 0

# 5. Train the AOT cache: start the service once with the training command (a runtime drop-in,
#    gone at reboot), wait until it serves, send queries so the query path is recorded too, stop
#    (the JVM writes the training record as it exits), create the cache outside the service (the
#    creating JVM needs no model, and its memory does not count against MemoryMax), then start the
#    service for real. Without a cache the service runs as well, only starts slower.
port=$(sed -n 's/^PORT=\([0-9]*\).*/\1/p' /etc/image-search/image-search.env | tail -n 1)
base="http://127.0.0.1:${port:-80}"
healthy() {
  for _ in $(seq 1 90); do
    curl -sf -o /dev/null "$base/healthz" && return 0
    sleep 2
  done
  return 1
}
ready() {
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "$base/readyz" && return 0
    sleep 2
  done
  return 1
}
aot_cache=$(aot_cache_of /etc/systemd/system/image-search.service)
dropin=/run/systemd/system/image-search.service.d
install -d "$dropin"
printf '[Service]\nExecStart=\nExecStart=%s\n' \
  "$(aot_training_command /etc/systemd/system/image-search.service)" > "$dropin/aot-training.conf"
systemctl daemon-reload
systemctl start image-search
trained=no
if healthy; then
  trained=yes
  # No index yet (a fresh bucket) leaves /readyz at 503: the start-up path is still recorded.
  ready || echo "install.sh: not ready within 120 s; training the AOT cache on start-up only" >&2
  for i in $(seq 1 20); do
    curl -s -o /dev/null "$base/api/search?q=a+photo+of+a+harbour+$i&k=10" || true
    curl -s -o /dev/null "$base/?q=three+red+circles+$i" || true
  done
fi
systemctl stop image-search
rm -f "$dropin/aot-training.conf"
systemctl daemon-reload
[ "$trained" = yes ] || fail "service did not answer /healthz within 180 s (journalctl -u image-search)"
if [ -s "$aot_cache.conf" ]; then
  # shellcheck disable=SC2046 # the command is the unit's words, split as systemd splits them
  runuser -u image-search -- $(aot_create_command /etc/systemd/system/image-search.service) \
    || echo "install.sh: could not create the AOT cache; the service runs without it" >&2
else
  echo "install.sh: the training start wrote no $aot_cache.conf; the service runs without it" >&2
fi
rm -f "$aot_cache.conf"

systemctl start image-search
if healthy; then
  echo "install.sh: image-search is running on port ${port:-80}"
else
  fail "service did not answer /healthz within 180 s (journalctl -u image-search)"
fi
