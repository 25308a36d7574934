# Helpers the figure scripts share; source it after setting url (the service's base URL).

# Waits until job $1 has finished, whether it succeeded or failed.
wait_job() {
  until curl -sf "$url/api/jobs/$1" | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["state"] not in ("succeeded","failed"))'; do sleep 1; done
}

# The caption of video path $2 (as captions.jsonl names it) in the captions file $1.
caption_of() {
  python3 -c "import json,sys; print(next(l['caption'] for l in map(json.loads, open(sys.argv[1])) if l['video'] == sys.argv[2]))" "$1" "$2"
}
