#!/usr/bin/env bash
# Builds the web UI into web/dist. npm ci runs only when package-lock.json changed since the
# last install, so repeated `make run` stays fast.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.aftersales-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "web: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
echo "web: building"
npm run build --silent > /tmp/aftersales-web-build.log 2>&1 || { cat /tmp/aftersales-web-build.log; exit 1; }
