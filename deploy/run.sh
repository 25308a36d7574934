#!/usr/bin/env bash
# README command 1: installs what is missing, starts the project's PostgreSQL (pgvector) cluster,
# and runs the service with the embedded default model on http://localhost:${PORT:-8080}.
# Ctrl-C stops the service; the database keeps running (stop it with: bash deploy/db.sh stop).
# Environment: PORT (8080), MODEL_PATH (models/default), MODEL_DEVICE (auto), UCOFIA_PGPORT (5433).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
PORT="${PORT:-8080}"
say() { printf '\033[1;36m[run]\033[0m %s\n' "$*"; }

bash deploy/install.sh
connection="$(bash deploy/db.sh start | tail -n 1)"

say "building the service"
dotnet build src/UCoFIA.Service -c Release --nologo -v quiet -clp:ErrorsOnly

say "starting on http://localhost:${PORT}  (browser UI: http://localhost:${PORT}/, Swagger UI: http://localhost:${PORT}/swagger, Ctrl-C to stop)"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
export ConnectionStrings__Postgres="$connection"
export Model__Path="${MODEL_PATH:-$root/models/default}"
export Model__Device="${MODEL_DEVICE:-auto}"
export Storage__DataDirectory="${UCOFIA_DATA_DIR:-$root/.data/service}"
# exec runs the built host in this process, so Ctrl-C (SIGINT) reaches it directly and it shuts down gracefully.
cd src/UCoFIA.Service
exec dotnet bin/Release/net10.0/linux-x64/UCoFIA.Service.dll --urls "http://0.0.0.0:${PORT}"
