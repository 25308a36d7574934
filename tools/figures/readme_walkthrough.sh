#!/usr/bin/env bash
# The README's "Try it" walk-through against a running service, printed as the README shows it: six synthetic
# clips (seed 7) uploaded with their first captions, one job status, a paraphrased text query and a video -> text
# lookup of the clip it names. Run it on an empty gallery so the ids and scores are the walk-through's own.
# Usage: bash tools/figures/readme_walkthrough.sh ; environment: URL (http://localhost:8080), WORK (/tmp/demo)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
url="${URL:-http://localhost:8080}"
work="${WORK:-/tmp/demo}"
# shellcheck source=service.sh
. "$root/tools/figures/service.sh"
query="${QUERY:-a yellow cross sinks down over ivory stripes with a little orange plus at the bottom right}"
rm -rf "$work"

dotnet run --project "$root/src/UCoFIA.Cli" -c Release -- synth --out "$work" --seed 7 --train 0 --val 0 --test 6 --hard 0 --mp4 >/dev/null
cd "$work"
caption() { caption_of captions.jsonl "$1"; }

declare -A ids
for i in 0 1 2 3 4 5; do
  name="test-0000$i"
  text="$(caption "videos/$name.mp4")"
  response="$(curl -s -i -F "file=@videos/$name.mp4" -F "title=$name" --form-string "captions=$text" "$url/api/videos")"
  body="$(printf '%s\n' "$response" | tail -1)"
  read -r job video < <(printf '%s' "$body" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["jobId"], r["videoId"])')
  ids[$name]="$video"
  if [ "$i" -eq 0 ]; then
    first_job="$job"
    echo "\$ curl -s -F file=@videos/$name.mp4 -F title=$name --form-string \"captions=$text\" localhost:8080/api/videos"
    printf '%s\n' "$response" | grep -E '^(HTTP|Location)' | tr -d '\r'
    printf '%s\n\n' "$body"
  fi
  wait_job "$job"
done

echo "\$ curl -s localhost:8080/api/jobs/$first_job | python3 -m json.tool"
curl -s "$url/api/jobs/$first_job" | python3 -m json.tool
echo

echo "test-00002's caption: $(caption videos/test-00002.mp4)"
body="$(python3 -c 'import json,sys; print(json.dumps({"text": sys.argv[1], "topK": 2}))' "$query")"
echo "\$ curl -s -X POST localhost:8080/api/search/videos -H 'Content-Type: application/json' -d '$body' | python3 -m json.tool --indent 2"
curl -s -X POST "$url/api/search/videos" -H 'Content-Type: application/json' -d "$body" | python3 -m json.tool --indent 2
echo

body="{\"videoId\": \"${ids[test-00002]}\", \"topK\": 2}"
echo "\$ curl -s -X POST localhost:8080/api/search/captions -H 'Content-Type: application/json' -d '$body' | python3 -m json.tool --indent 2"
curl -s -X POST "$url/api/search/captions" -H 'Content-Type: application/json' -d "$body" | python3 -m json.tool --indent 2
