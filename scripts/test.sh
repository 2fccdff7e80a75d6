#!/usr/bin/env bash
# Runs every check CI runs: formatting, lints, all tests (unit, property, CLI end-to-end), and
# the drift check of the generated TypeScript bindings. Run from anywhere in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked

echo "== TypeScript bindings are up to date (ui/src/bindings)"
# `cargo test` above regenerated them; any difference from what is committed is drift.
if ! git diff --exit-code --stat -- ui/src/bindings || [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  echo "ui/src/bindings changed when regenerated: commit the new bindings (or fix the Rust types)." >&2
  git status --porcelain -- ui/src/bindings >&2
  exit 1
fi
echo "all checks passed"
