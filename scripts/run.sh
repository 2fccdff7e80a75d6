#!/usr/bin/env bash
# Builds and launches the desktop app on its default database (office.db in the OS data
# directory, the same file the `cunjing` CLI uses). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
(cd ui && npm ci --no-audit --no-fund && npm run build)
cargo run --locked -p cunjing-app "$@"
