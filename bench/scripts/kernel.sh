#!/usr/bin/env bash
# Issue 15's kernel figures in one run, on a quiet machine (nothing else running):
#   1. this checkout's re-rank kernel (default and ViT-B/32-shaped configs, V = 50/200/1000) and the ViT-B/32-sized
#      text encoder, BenchmarkDotNet ShortRun in-process, UCOFIA_THREADS torch threads (2 = the practical peak's);
#   2. the baseline commit's kernel (default 4ce4529) on the same ViT-B/32-shaped weights, from a detached worktree.
# Results: docs/bench/kernel-<label>/ (BenchmarkDotNet's markdown reports).
#   bash bench/scripts/kernel.sh [baseline-commit]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
baseline="${1:-4ce4529}"
threads="${UCOFIA_THREADS:-2}"
export UCOFIA_THREADS="$threads"
out="$root/docs/bench"

run() { # <checkout> <label> <filter> [UCOFIA_MODEL]
  local checkout="$1" label="$2" filter="$3"
  dotnet build "$checkout/bench/UCoFIA.Benchmarks" -c Release -v q -nologo
  (cd "$checkout" && env ${4:+UCOFIA_MODEL="$4"} dotnet "bench/UCoFIA.Benchmarks/bin/Release/net10.0/linux-x64/UCoFIA.Benchmarks.dll" \
      --filter "$filter" --artifacts "$root/.data/bdn-$label")
  mkdir -p "$out/kernel-$label"
  cp "$root/.data/bdn-$label/results/"*-report-github.md "$out/kernel-$label/"
}

uptime
run "$root" "new-${threads}t" '*'
worktree="$root/.data/baseline-$baseline"
[ -d "$worktree" ] || git -C "$root" worktree add --detach "$worktree" "$baseline"
# The baseline's benchmark loads one model folder for all its cases: the ViT-B/32-shaped one written by step 1.
run "$worktree" "baseline-$baseline-vitb32-${threads}t" '*RerankKernel*' "$root/.data/bench-models/vit-b32-kernel"
uptime
