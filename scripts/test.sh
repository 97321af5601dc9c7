#!/usr/bin/env bash
# The whole test suite: unit tests, then kernel, clang and registry integration tests.
# As root it first prepares the machine (packages, tracefs, bpffs), which is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then ./scripts/setup-machine.sh; fi
exec mvn -B -ntp verify "$@"
