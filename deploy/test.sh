#!/usr/bin/env bash
# README command 2: installs what is missing, starts a throwaway PostgreSQL cluster with pgvector,
# runs every test in the solution against it, stops the cluster, and prints one summary line:
#   Tests: N passed, N failed, N skipped
# Extra arguments go to 'dotnet test' (e.g. --filter "FullyQualifiedName~Isa").
# UCOFIA_SLOW_TESTS=1 also runs the slow suites (load test, browser test).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '\033[1;35m[test]\033[0m %s\n' "$*"; }

bash deploy/install.sh

export UCOFIA_PGDATA="$root/.data/pg-test"
export UCOFIA_PGPORT="${UCOFIA_TEST_PGPORT:-5439}"
export UCOFIA_PGDATABASE=postgres
rm -rf "$UCOFIA_PGDATA"
cleanup() { bash deploy/db.sh stop || true; rm -rf "$UCOFIA_PGDATA"; }
trap cleanup EXIT
UCOFIA_TEST_POSTGRES="$(bash deploy/db.sh start | tail -n 1)"
export UCOFIA_TEST_POSTGRES

results="$root/.data/test-results"
rm -rf "$results"
say "dotnet test"
set +e
dotnet test "$root/UCoFIA.Service.sln" --logger "trx" --results-directory "$results" "$@"
status=$?
set -e

python3 "$root/deploy/trx-summary.py" "$results" || status=1
exit $status
