#!/usr/bin/env bash
# Uploads the given MP4s one after another to a running service, waits until every job has ended, and prints the wall
# time: the by-hand check of jobs queued behind a Sinkhorn–Knopp refit (docs/performance.md, "Second pass").
#   URL=http://127.0.0.1:18095 bash bench/scripts/upload-burst.sh clip-*.mp4
# Each clip must be new to the gallery (a duplicate ends at once); e.g.
#   for i in 1 2 3 4 5 6 7 8; do ffmpeg -v error -f lavfi -i testsrc2=size=256x256:rate=25 -vf hue=h=$((i*40)) -t 4 -pix_fmt yuv420p clip-$i.mp4; done
set -euo pipefail
url="${URL:-http://127.0.0.1:8080}"
start=$(date +%s.%N)
jobs=()
for file in "$@"; do
  jobs+=("$(curl -sf -F "file=@$file" "$url/api/videos" | python3 -c 'import json, sys; print(json.load(sys.stdin)["jobId"])')")
done
for job in "${jobs[@]}"; do
  until curl -sf "$url/api/jobs/$job" | grep -q '"succeeded"\|"failed"\|"canceled"'; do sleep 0.05; done
done
echo "wall $(echo "$(date +%s.%N) - $start" | bc) s for $# files"
