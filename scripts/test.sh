#!/usr/bin/env bash
# Runs every check CI runs: formatting, lints, Rust tests (unit, property, integration, CLI
# end-to-end), the TypeScript bindings drift check, UI unit tests (Vitest), UI browser tests with
# the IPC mocked (Playwright + Chromium) and the real-app end-to-end test (Tauri binary under
# Xvfb over WebDriver). Run from anywhere in the repository; ./scripts/deps.sh and
# `cargo install tauri-driver --locked` provide the system pieces (.ci/run does both).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

echo "== UI: install and build (the desktop app embeds ui/dist)"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build)

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo build (every target once)"
# One build of all targets: the binaries the browser and real-app tests run come out with the same
# feature set as the tests, so nothing (Tauri and WebKit bindings included) is compiled twice.
cargo build --workspace --all-targets --locked

echo "== cargo test"
cargo test --workspace --locked

echo "== TypeScript bindings are up to date (ui/src/bindings)"
# `cargo test` above regenerated them; any difference from what is committed is drift.
if ! git diff --exit-code --stat -- ui/src/bindings || [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  echo "ui/src/bindings changed when regenerated: commit the new bindings (or fix the Rust types)." >&2
  git status --porcelain -- ui/src/bindings >&2
  exit 1
fi

echo "== UI unit tests (Vitest)"
(cd ui && npx vitest run --config vitest.config.ts)

echo "== UI in Chromium with the IPC mocked (Playwright)"
(cd ui && CUNJING_BIN="$root/target/debug/cunjing" npx vitest run --config vitest.e2e.config.ts)

echo "== The real app under Xvfb over WebDriver"
(cd tests/app && npm ci --no-audit --no-fund --loglevel=error)
mkdir -p target/screenshots
CUNJING_APP="$root/target/debug/cunjing-app" CUNJING_BIN="$root/target/debug/cunjing" CUNJING_SHOTS="$root/target/screenshots" \
  xvfb-run -a -s "-screen 0 1366x768x24" node --test --test-concurrency=1 tests/app/

echo "all checks passed"
