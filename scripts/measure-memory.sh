#!/usr/bin/env bash
# The app's idle memory (issue 6, docs/PERFORMANCE.md): starts the real debug app under Xvfb at
# 1366×768 over WebDriver with a fresh HOME, goes through first-start setup with a passphrase, lets
# it sit idle on the dashboard (IDLE_SECONDS, default 30) and sums RSS, PSS and private memory over
# all its processes (cunjing-app, WebKitWebProcess, WebKitNetworkProcess) from
# /proc/PID/smaps_rollup. The figure that counts is the summed PSS.
#
#   ./scripts/measure-memory.sh                  # RUNS=3 by default here; median reported
#   RUNS=1 APP_ENV='WEBKIT_DISABLE_COMPOSITING_MODE=0' ./scripts/measure-memory.sh
#   SCREEN=setup NO_DRIVER=1 ./scripts/measure-memory.sh   # first-start screen, no WebDriver
#
# Builds nothing: it measures target/debug/cunjing-app as `./scripts/test.sh` builds it
# ((cd ui && npm ci && npm run build) then `cargo build --workspace --all-targets --locked`).
# Needs what the real-app test needs: xvfb-run, WebKitWebDriver, tauri-driver, tests/app's npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
app="${CUNJING_APP:-$root/target/debug/cunjing-app}"
if [ ! -x "$app" ]; then
  echo "no app at $app: build it as ./scripts/test.sh does (ui: npm run build; cargo build --workspace --all-targets --locked)" >&2
  exit 1
fi
[ -d tests/app/node_modules ] || (cd tests/app && npm ci --no-audit --no-fund --loglevel=error)
CUNJING_APP="$app" RUNS="${RUNS:-3}" \
  xvfb-run -a -s "-screen 0 1366x768x24" node tests/app/measure-memory.mjs
