"""Sequential text searches against a running service, with the stage timings it reports: percentiles per stage and,
with --gc, the .NET collections between each slow query's neighbours (docs/performance.md, "Second pass").

    python3 bench/scripts/query-series.py --url http://127.0.0.1:18095 --queries 300 --candidates 100 [--gc]
"""
import argparse
import json
import time
import urllib.request

TEXTS = ["a red circle moves left on a striped background", "two blue squares move up",
         "a green triangle with a small yellow star in the top left corner", "a purple disc moves right",
         "a yellow star moves down on a dotted background", "an orange square and a small blue circle"]


def gc_counters(url):
    counters = {}
    for line in urllib.request.urlopen(url + "/metrics").read().decode().splitlines():
        if line.startswith(("dotnet_gc_collections_total", "dotnet_gc_pause_time_seconds_total")):
            key, value = line.rsplit(" ", 1)
            counters[key.replace('otel_scope_name="System.Runtime",', "")] = float(value)
    return counters


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--gc", action="store_true", help="read the GC counters around every query")
    parser.add_argument("--slow-ms", type=float, default=50)
    args = parser.parse_args()
    rows, slow = [], []
    for i in range(args.queries):
        body = json.dumps({"text": f"{TEXTS[i % len(TEXTS)]} {i % 11}", "topK": 10, "candidates": args.candidates}).encode()
        before = gc_counters(args.url) if args.gc else {}
        request = urllib.request.Request(args.url + "/api/search/videos", body, {"Content-Type": "application/json"})
        started = time.time()
        timings = json.load(urllib.request.urlopen(request))["timings"]
        ms = (time.time() - started) * 1000
        rows.append((ms, timings))
        if args.gc and ms > args.slow_ms:
            after = gc_counters(args.url)
            slow.append((round(ms), {k: round(v) for k, v in timings.items()},
                         {k: round(after[k] - before.get(k, 0), 3) for k in after if after[k] != before.get(k, 0)}))
    for stage in ["encodeMs", "recallMs", "fetchMs", "rerankMs"]:
        values = [t[stage] for _, t in rows]
        print(f"{stage} p50 {percentile(values, .5):.1f} p95 {percentile(values, .95):.1f} max {max(values):.1f}")
    totals = [ms for ms, _ in rows]
    print(f"total p50 {percentile(totals, .5):.1f} p95 {percentile(totals, .95):.1f} max {max(totals):.1f}")
    for row in slow:
        print("slow:", *row)


if __name__ == "__main__":
    main()
