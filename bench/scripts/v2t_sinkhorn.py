#!/usr/bin/env python3
"""Video -> text R@1 through a running service, with and without the captions' Sinkhorn-Knopp bias.

Uploads every clip of a synthetic corpus (ucofia synth --mp4) with its first caption, waits until every caption's
Sinkhorn-Knopp bias belongs to the caption gallery's current fit (a fit exists and no refit is pending), then asks POST /api/search/captions for each video twice
('sinkhorn': true and false) and counts how often the video's own caption ranks first (R@1) or in the top 5.
Standard library only, so it runs wherever the service does.

    python3 bench/scripts/v2t_sinkhorn.py --corpus /tmp/v2t --url http://localhost:8080 --dsn "host=... dbname=..."
"""
import argparse
import json
import subprocess
import sys
import time
import urllib.request
import uuid


def post_json(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def upload(url, path, title, caption):
    boundary = uuid.uuid4().hex
    with open(path, "rb") as f:
        video = f.read()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{title}.mp4"\r\nContent-Type: video/mp4\r\n\r\n'.encode() + video + b"\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="captions"\r\n\r\n'.encode() + caption.encode() + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    request = urllib.request.Request(f"{url}/api/videos", b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def wait_job(url, job):
    while True:
        with urllib.request.urlopen(f"{url}/api/jobs/{job}") as response:
            state = json.load(response)
        if state["state"] == "succeeded":
            return
        if state["state"] == "failed":
            sys.exit(f"job {job} failed: {state['error']}")
        time.sleep(0.2)


def caption_fit(dsn):
    """(version, captions fitted on, captions whose bias is from another fit)"""
    sql = ("SELECT f.version, f.gallery_size, (SELECT count(*) FROM captions c WHERE c.sk_fit <> f.version) "
           "FROM sk_fit f WHERE f.gallery = 'captions'")
    out = subprocess.run(["psql", dsn, "-Atc", sql], capture_output=True, text=True, check=True)
    return tuple(int(v) for v in out.stdout.strip().split("|"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--dsn", required=True, help="libpq connection string of the service's database (to wait for the fit)")
    args = parser.parse_args()

    first = {}
    with open(f"{args.corpus}/captions.jsonl") as f:
        for line in f:
            item = json.loads(line)
            first.setdefault(item["video"], item["caption"])
    videos = {}
    for path, caption in sorted(first.items()):
        accepted = upload(args.url, f"{args.corpus}/{path}", path.rsplit("/", 1)[-1][:-4], caption)
        videos[accepted["videoId"]] = (accepted["jobId"], caption)
    for job, _ in videos.values():
        if job is not None:  # None: these bytes were stored by an earlier run, with their caption
            wait_job(args.url, job)
    print(f"ingested {len(videos)} videos with one caption each", flush=True)
    previous = None
    while True:
        fit = caption_fit(args.dsn)
        if fit[0] > 0 and fit[2] == 0 and fit == previous:
            break
        previous = fit
        time.sleep(5)
    print(f"caption fit {fit[0]}, fitted on {fit[1]} captions; every caption's bias is from it", flush=True)

    for sinkhorn in (False, True):
        top1 = top5 = 0
        for video_id, (_, caption) in videos.items():
            results = post_json(f"{args.url}/api/search/captions", {"videoId": video_id, "topK": 5, "sinkhorn": sinkhorn})["results"]
            texts = [r["text"] for r in results]
            top1 += texts[:1] == [caption]
            top5 += caption in texts
        n = len(videos)
        print(f"sinkhorn={str(sinkhorn).lower():5}  v2t R@1 {100 * top1 / n:.1f}  R@5 {100 * top5 / n:.1f}  (n = {n})", flush=True)


if __name__ == "__main__":
    main()
