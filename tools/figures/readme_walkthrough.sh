#!/usr/bin/env bash
# The README's "Try it" walk-through against a running service, printed as the README shows it: six synthetic
# clips (seed 7) uploaded with their first captions, one job status, a paraphrased text query and a video -> text
# lookup of the clip it names. Run it on an empty gallery so the ids and scores are the walk-through's own.
# Usage: bash tools/figures/readme_walkthrough.sh ; environment: URL (http://localhost:8080), WORK (/tmp/demo)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
url="${URL:-http://localhost:8080}"
work="${WORK:-/tmp/demo}"
query="${QUERY:-a yellow cross sinks down over ivory stripes with a little orange plus at the bottom right}"
rm -rf "$work"

dotnet run --project "$root/src/UCoFIA.Cli" -c Release -- synth --out "$work" --seed 7 --train 0 --val 0 --test 6 --hard 0 --mp4 >/dev/null
cd "$work"
caption() { python3 -c "import json,sys; print(next(l['caption'] for l in map(json.loads, open('captions.jsonl')) if l['video'] == sys.argv[1]))" "$1"; }

declare -A ids
first_job=""
for i in 0 1 2 3 4 5; do
  name="test-0000$i"
  response="$(curl -s -i -F "file=@videos/$name.mp4" -F "title=$name" --form-string "captions=$(caption "videos/$name.mp4")" "$url/api/videos")"
  if [ "$i" -eq 0 ]; then
    echo "\$ curl -s -F file=@videos/$name.mp4 -F title=$name --form-string \"captions=$(caption "videos/$name.mp4")\" localhost:8080/api/videos"
    printf '%s\n' "$response" | grep -E '^(HTTP|Location)' | tr -d '\r'
    printf '%s\n' "$response" | tail -1
    echo
  fi
  job="$(printf '%s' "$response" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])')"
  ids[$name]="$(printf '%s' "$response" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["videoId"])')"
  until curl -sf "$url/api/jobs/$job" | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["state"] not in ("succeeded","failed"))'; do sleep 1; done
  [ -n "$first_job" ] || first_job="$job"
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
