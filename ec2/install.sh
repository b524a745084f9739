#!/usr/bin/env bash
# Installs (or updates) image-search as a systemd service on Amazon Linux 2023.
# The CDK stack's user data runs it; it works the same on a hand-made instance:
#
#   sudo ./install.sh --jar ./image-search.jar --bucket my-images --region eu-west-1
#
# Idempotent: run it again with a new jar to upgrade. It installs Corretto 25 unless java is 25,
# creates the system user, adds a swap file on small instances, installs the unit and the
# environment file, starts the service and writes the class-data-sharing archive.
#
# Options (or the environment variable in brackets):
#   --jar PATH           the executable jar to install                 [JAR]   (required)
#   --bucket NAME        the S3 bucket with images/, thumbs/, index/   [BUCKET_NAME]
#   --region REGION      the bucket's region                           [AWS_REGION]
#   --env-file PATH      use this environment file as is (instead of rendering the template)
#   --unit PATH          the unit file       (default: next to this script)
#   --env-template PATH  the env template    (default: next to this script)
#   --no-start           install only, do not (re)start the service
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-}
bucket=${BUCKET_NAME:-}
region=${AWS_REGION:-}
env_file=
unit="$here/image-search.service"
env_template="$here/image-search.env.template"
start=yes

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --bucket) bucket=$2; shift 2 ;;
    --region) region=$2; shift 2 ;;
    --env-file) env_file=$2; shift 2 ;;
    --unit) unit=$2; shift 2 ;;
    --env-template) env_template=$2; shift 2 ;;
    --no-start) start=no; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "install.sh: $*" >&2; exit 1; }
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
#    CDS archive removed: the archive belongs to the old jar and the JVM writes a new one.
if systemctl is-active --quiet image-search 2>/dev/null; then
  systemctl stop image-search
fi
rm -f /var/lib/image-search/app.jsa
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

# 5. Start, wait until healthy, then restart once: that first clean stop writes the CDS archive
#    (AutoCreateSharedArchive) with every class the first start and /healthz loaded; every later
#    start maps it. (An archive that exists and matches the jar is never rewritten, which is why
#    the first run must get as far as serving before it stops.)
port=$(sed -n 's/^PORT=\([0-9]*\).*/\1/p' /etc/image-search/image-search.env | tail -n 1)
healthy() {
  for _ in $(seq 1 90); do
    curl -sf -o /dev/null "http://127.0.0.1:${port:-80}/healthz" && return 0
    sleep 2
  done
  return 1
}
systemctl enable --now image-search
if healthy; then
  systemctl restart image-search
  healthy || fail "service did not answer /healthz after the CDS restart (journalctl -u image-search)"
  echo "install.sh: image-search is running on port ${port:-80}"
else
  fail "service did not answer /healthz within 180 s (journalctl -u image-search)"
fi
