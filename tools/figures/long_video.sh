#!/usr/bin/env bash
# A long-video search in the synthetic world the default model knows, against a running service:
# 20 short clips go in as the gallery, then a 20-minute video made of other clips looped a minute each, with
# the target clip looped from 13:00 to 13:30. The target's caption is searched; the response and its timeline
# figure (tools/figures/moments_svg.py) are written to OUT.
# Usage: bash tools/figures/long_video.sh [OUT (docs)] ; environment: URL (http://localhost:8080), WORK (/tmp/ucofia-long)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/docs}"
url="${URL:-http://localhost:8080}"
work="${WORK:-/tmp/ucofia-long}"
# shellcheck source=service.sh
. "$root/tools/figures/service.sh"
scene_start=780
scene_end=810
rm -rf "$work" && mkdir -p "$work/parts"

dotnet run --project "$root/src/UCoFIA.Cli" -c Release -- synth --out "$work/corpus" --seed 11 --train 0 --val 0 --test 41 --hard 0 --mp4 >/dev/null
clips=("$work"/corpus/videos/test-*.mp4)
target="${clips[40]}"
caption="$(caption_of "$work/corpus/captions.jsonl" videos/test-00040.mp4)"

upload() { # file title -> video id, once its job has finished
  local job
  job="$(curl -sf -F "file=@$1" -F "title=$2" "$url/api/videos" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])')"
  wait_job "$job"
}

for i in $(seq 0 19); do upload "${clips[$i]}" "$(basename "${clips[$i]}" .mp4)"; done

# Minute m is clip 20 + m looped, except 13:00-13:30, which is the target looped.
list="$work/parts/list.txt"
: >"$list"
for m in $(seq 0 19); do
  clip="${clips[$((20 + m))]}"
  if [ "$m" -eq 13 ]; then
    ffmpeg -v error -y -stream_loop -1 -i "$target" -t 30 -an -c:v libx264 -preset veryfast -pix_fmt yuv420p -r 8 "$work/parts/m13a.mp4"
    ffmpeg -v error -y -stream_loop -1 -i "$clip" -t 30 -an -c:v libx264 -preset veryfast -pix_fmt yuv420p -r 8 "$work/parts/m13b.mp4"
    printf "file '%s'\nfile '%s'\n" "$work/parts/m13a.mp4" "$work/parts/m13b.mp4" >>"$list"
  else
    ffmpeg -v error -y -stream_loop -1 -i "$clip" -t 60 -an -c:v libx264 -preset veryfast -pix_fmt yuv420p -r 8 "$work/parts/m$m.mp4"
    printf "file '%s'\n" "$work/parts/m$m.mp4" >>"$list"
  fi
done
ffmpeg -v error -y -f concat -safe 0 -i "$list" -c copy "$work/long20.mp4"
start="$(date +%s.%N)"
upload "$work/long20.mp4" "synthetic-20min"
echo "20-minute video ingested in $(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$start") s"

query="$(python3 -c 'import json,sys; print(json.dumps({"text": sys.argv[1], "topK": 3}))' "$caption")"
curl -sf -X POST "$url/api/search/videos" -H 'Content-Type: application/json' -d "$query" >"$out/moments-long-video.json"
python3 "$root/tools/figures/moments_svg.py" "$out/moments-long-video.json" --duration 1200 --truth "$scene_start" "$scene_end" \
  --query "$caption" --out "$out/moments-long-video.svg"
echo "query: $caption"
echo "wrote $out/moments-long-video.json and $out/moments-long-video.svg"
