#!/usr/bin/env bash
# Issue 15's service figures in one run, on a quiet machine (nothing else running): a fresh database on its own
# cluster, the service in Release with MODEL and a feature cache big enough for the gallery, then
#   1. ingestion of INGEST_4S × 4 s and INGEST_20S × 20 s MP4s into the still small gallery (an upload into a
#      bulk-loaded gallery starts a Sinkhorn–Knopp refit of all of it, which would run beside the latency runs); the
#      4 s MP4s a second time while LOAD_CLIENTS clients search without pause (the job rate under load);
#   2. `ucofia bench`: fill to SIZES, latency at concurrency 1 and 8, agreement with exhaustive scoring;
#   3. (WARM=1) the service restarted, so that its warmer loads the whole gallery into memory before any query; the
#      latency again.
#   WARMUP=N searches before each latency run (default: every query once).
#   INGEST=0 skips step 1 (a second run on a gallery filled before: the fill is then skipped too).
#   LABEL=default SIZES=100000 POOL=2000 bash bench/scripts/search.sh
#   LABEL=vit-b32 MODEL=.data/bench-models/vit-b32 SIZES=1000,10000 POOL=100 AGREEMENT=0 WARM=0 bash bench/scripts/search.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
label="${LABEL:-default}"
model="$(realpath "${MODEL:-models/default}")"
sizes="${SIZES:-100000}"
pool="${POOL:-2000}"
agreement="${AGREEMENT:-10}"
port=18093
out="${OUT:-docs/bench/search-$label}"
export UCOFIA_PGDATA="$root/.data/pg-bench15" UCOFIA_PGPORT=5461 UCOFIA_PGDATABASE="bench_${label//-/_}"
connection="$(bash deploy/db.sh start | tail -n 1)"
dotnet build src/UCoFIA.Service -c Release -v q -nologo
dotnet build src/UCoFIA.Cli -c Release -v q -nologo
cli="dotnet src/UCoFIA.Cli/bin/Release/net10.0/linux-x64/ucofia.dll"

service() { # starts the service in the background (log file, then extra VAR=value settings), waits until it answers readiness
  local log="$1"; shift
  env "$@" ConnectionStrings__Postgres="$connection" Model__Path="$model" Storage__DataDirectory="$root/.data/bench15-$label" \
    Search__FeatureCacheBytes=4000000000 Logging__LogLevel__Default=Warning Logging__LogLevel__UCoFIA.Service.Search=Information \
    dotnet src/UCoFIA.Service/bin/Release/net10.0/linux-x64/UCoFIA.Service.dll --urls "http://127.0.0.1:$port" > "$log" 2>&1 &
  echo $! > .data/bench15-svc.pid
  until curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null; do
    kill -0 "$(cat .data/bench15-svc.pid)" 2> /dev/null || { echo "the service exited: see $log" >&2; exit 1; }
    sleep 1
  done
}
stop() { kill "$(cat .data/bench15-svc.pid)" 2>/dev/null || true; wait "$(cat .data/bench15-svc.pid)" 2>/dev/null || true; }
trap stop EXIT # a failed bench must not leave the service holding the port

if curl -s "http://127.0.0.1:$port/" > /dev/null; then echo "port $port is taken" >&2; exit 1; fi
mkdir -p "$out"
uptime | tee "$out/uptime-start.txt"
bench() { $cli bench --connection "$connection" --url "http://127.0.0.1:$port" --model "$model" --queries 30 --warmup "${WARMUP:-0}" "$@"; }
# Cold: the cache fills only as queries meet segments (the warmer would load a gallery filled by an earlier run).
service "$out/service-cold.log" Search__WarmFeatureCache=false
if [ "${INGEST:-1}" = 1 ]; then
# A fresh service's first jobs pay for the JIT and for encoding the Sinkhorn–Knopp bank: warmed up first, not measured.
bench --sizes 10 --pool 10 --agreement-queries 0 --concurrency 1 --ingest-videos 4 --ingest-seconds 4 --out "$out/ingest-warmup"
bench --sizes 10 --pool 10 --agreement-queries 0 --concurrency 1 --ingest-videos "${INGEST_4S:-16}" --ingest-seconds 4 \
  --load-clients "${LOAD_CLIENTS:-50}" --out "$out/ingest-4s"
bench --sizes 10 --pool 10 --agreement-queries 0 --concurrency 1 --ingest-videos "${INGEST_20S:-4}" --ingest-seconds 20 --out "$out/ingest-20s"
fi
bench --sizes "$sizes" --pool "$pool" --agreement-queries "$agreement" --candidates 50,100,200 --ingest-videos 0 --out "$out/cold"
stop
if [ "${WARM:-1}" = 1 ]; then
  service "$out/service-warm.log"
  until grep -q "Feature cache warmed" "$out/service-warm.log"; do sleep 2; done
  grep "Feature cache warmed" "$out/service-warm.log"
  bench --sizes "$sizes" --pool "$pool" --agreement-queries 0 --candidates 100 --ingest-videos 0 --out "$out/warm"
  stop
fi
uptime | tee "$out/uptime-end.txt"
