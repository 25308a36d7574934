#!/usr/bin/env bash
# Standby replay lag while a running service ingests: uploads LAG_VIDEOS (6) synthetic MP4s of LAG_SECONDS (20) s
# at 256² (ffmpeg testsrc2, each with its own hue, so each is a new file) to LAG_URL, waits for every job, and
# samples deploy/standby.sh lag every 0.2 s from the first upload until the last job has finished.
# Prints the WAL the ingestion wrote (the whole cluster's, so run it on a quiet one), how many samples had
# unreplayed WAL, the largest byte lag, and the largest replay_lag.
# Environment: as deploy/standby.sh (the primary's and the standby's ports); LAG_URL (http://127.0.0.1:8080).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
URL="${LAG_URL:-http://127.0.0.1:8080}"
VIDEOS="${LAG_VIDEOS:-6}"
SECONDS_EACH="${LAG_SECONDS:-20}"
LOG_TAG=lag
# shellcheck source=deploy/pg-env.sh
. "$root/deploy/pg-env.sh"
psql_primary() { as_db_user "$PG_BIN/psql" -h "${UCOFIA_PGHOST:-127.0.0.1}" -p "${UCOFIA_PGPORT:-5433}" -U "$DB_USER" -d postgres -qAt -c "$1"; }
work="$(mktemp -d)"
trap 'kill "$sampler" 2>/dev/null || true; rm -rf "$work"' EXIT

for i in $(seq 1 "$VIDEOS"); do
  ffmpeg -loglevel error -f lavfi -i "testsrc2=size=256x256:rate=25:duration=$SECONDS_EACH" \
    -vf "hue=h=$((i * 360 / VIDEOS))" -c:v libx264 -pix_fmt yuv420p "$work/$i.mp4"
done

(while true; do printf '%s\t%s\n' "$(date +%s.%N)" "$(bash "$root/deploy/standby.sh" lag)"; sleep 0.2; done) > "$work/lag.tsv" 2>/dev/null &
sampler=$!
wal_before="$(psql_primary "SELECT pg_current_wal_lsn()")"
started=$(date +%s.%N)
jobs=()
for i in $(seq 1 "$VIDEOS"); do
  status="$(curl -sS -o "$work/accepted.json" -w '%{http_code}' -F "file=@$work/$i.mp4" "$URL/api/videos")"
  [ "$status" = 202 ] || die "upload $i answered $status (a gallery that holds these videos already answers 200: use a fresh database)"
  jobs+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["jobId"])' "$work/accepted.json")")
done
for job in "${jobs[@]}"; do
  while true; do
    state="$(curl -fsS "$URL/api/jobs/$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" || die "job $job: no answer"
    case "$state" in succeeded|failed) break ;; esac
    sleep 0.5
  done
done
finished=$(date +%s.%N)
sleep 1
kill "$sampler"
echo "$VIDEOS × ${SECONDS_EACH} s ingested in $(echo "$finished - $started" | bc) s, writing" \
  "$(psql_primary "SELECT pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_before'))") of WAL"
awk -F'\t' 'NF >= 2 && $2 != "" { n++; b = $2 + 0; if (b > 0) behind++; if (b > maxb) maxb = b; if ($3 != "" && $3 + 0 > maxms) maxms = $3 + 0 }
  END { printf "%d samples: %d with unreplayed WAL, largest %d bytes, largest replay_lag %d ms\n", n, behind, maxb, maxms }' "$work/lag.tsv"
