#!/usr/bin/env bash
# Vigil's benchmarks (docs/benchmarks.md): builds in release mode, then runs
#   scripts/bench.sh record [--cameras 1,4,16] [--seconds 60]   recording CPU/RSS vs ffmpeg per camera
#   scripts/bench.sh drift [--seconds 600]                      media time vs wall time, recorder drops
#   scripts/bench.sh vod [--requests 200]                       VOD playlist latency, 1,440 segments
#   scripts/bench.sh live [--parts latency,ttff,cpu]            live view: glass-to-glass latency
#                                                               (MJPEG, MSE, HLS), time to first frame,
#                                                               CPU of MSE/MJPEG viewers (16 cameras)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p vigil -p vigil-bench
exec target/release/vigil-bench "$@"
