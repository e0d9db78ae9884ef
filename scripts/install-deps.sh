#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need, and those named as arguments.
# Idempotent: packages already present are skipped, so a second run takes a second.
# Works as root and through sudo.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libboost-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libcurl4-openssl-dev libjemalloc-dev libhowardhinnant-date-dev tzdata
  libspdlog-dev libfmt-dev libcli11-dev libtoml11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql postgresql-client wrk chromium
  dovecot-imapd  # the IMAP server the mail intake tests poll (tests/tools/dovecot.sh)
)
# Packages named on the command line are for one target only (make fuzz: clang and libclang-rt-dev, which holds libFuzzer).
PKGS+=("$@")
# Node.js is on the machine image; install Debian's only if it is missing.
command -v node >/dev/null 2>&1 || PKGS+=(nodejs npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
