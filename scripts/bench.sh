#!/usr/bin/env bash
# Vigil's benchmarks (docs/benchmarks.md): builds in release mode, then runs
#   scripts/bench.sh record [--cameras 1,4,16] [--seconds 60]   recording CPU/RSS vs ffmpeg per camera
#   scripts/bench.sh drift [--seconds 600]                      media time vs wall time, recorder drops
#   scripts/bench.sh vod [--requests 200]                       VOD playlist latency, 1,440 segments
#   scripts/bench.sh live [--parts latency,ttff,cpu]            live view: glass-to-glass latency
#                                                               (MJPEG, MSE, HLS), time to first frame,
#                                                               CPU of MSE/MJPEG viewers (16 cameras)
#   scripts/bench.sh detect [--parts throughput,e2e,gate]       object detection: per-model throughput
#                           [--seconds 30] [--threads N]        vs Python onnxruntime; the server end to
#                                                               end with 1 and 4 cameras (rates, latency,
#                                                               CPU, recorder drops) and saturated; motion
#                                                               gate CPU on a still scene
# `detect` needs Python's onnxruntime for its baseline: it makes a venv at .cache/bench-venv
# (python3 -m venv; pip install onnxruntime==1.31.1 numpy pillow from PyPI) if there is none. If
# scripts/dev.sh setup has not put ONNX Runtime in .cache/onnxruntime, Vigil uses the venv's copy.
set -euo pipefail
cd "$(dirname "$0")/.."
ORT_VERSION=1.31.1

if [ "${1:-}" = detect ]; then
  venv=.cache/bench-venv
  if ! "$venv/bin/python" -c "import onnxruntime, numpy, PIL; assert onnxruntime.__version__ == '$ORT_VERSION'" 2>/dev/null; then
    echo "making $venv (python3 -m venv; pip install onnxruntime==$ORT_VERSION numpy pillow)..." >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "onnxruntime==$ORT_VERSION" numpy pillow
  fi
  export VIGIL_BENCH_PYTHON="$PWD/$venv/bin/python"
  if [ -z "${ORT_DYLIB_PATH:-}" ] && [ ! -e ".cache/onnxruntime/libonnxruntime.so.$ORT_VERSION" ]; then
    lib=$("$venv/bin/python" -c "import onnxruntime, pathlib; print(next((pathlib.Path(onnxruntime.__file__).parent / 'capi').glob('libonnxruntime.so.*')))")
    export ORT_DYLIB_PATH="$lib"
  fi
fi

cargo build --release -q -p vigil -p vigil-bench
exec target/release/vigil-bench "$@"
