#!/usr/bin/env bash
# Vigil's benchmarks (docs/benchmarks.md): builds in release mode, then runs
#   scripts/bench.sh record [--cameras 1,4,16] [--seconds 60]   recording CPU/RSS vs ffmpeg per camera
#                           [--bframe-cameras 4]               (and cameras with B-frames, H.264 and H.265)
#   scripts/bench.sh drift [--seconds 600]                      media time vs wall time, recorder drops
#   scripts/bench.sh vod [--requests 200]                       VOD playlist latency, 1,440 segments
#   scripts/bench.sh isolation [--cameras 16] [--seconds 60]    recorder drops and packet-to-write
#                              [--rate 200]                     latency, quiet vs an API client at
#                                                               200 req/s on /recordings, /timeline
#   scripts/bench.sh grid [--measure 20]                        16-tile live grid in Chromium: frames
#                                                               a second per tile vs the camera's 25
#   scripts/bench.sh subgrid [--measure 20]                     16-camera grid in Chromium on main streams
#                                                               (1080p) vs sub-streams (640x360): browser
#                                                               CPU, engine CPU, bytes a second, one run
#   scripts/bench.sh live [--parts latency,ttff,cpu]            live view: glass-to-glass latency
#                                                               (MJPEG, MSE, HLS), time to first frame,
#                                                               CPU of MSE/MJPEG viewers (16 cameras)
#   scripts/bench.sh detect [--parts throughput,e2e,gate]       object detection: per-model throughput
#                           [--seconds 30] [--threads N]        vs Python onnxruntime; the server end to
#                                                               end with 1 and 4 cameras (rates, latency,
#                                                               CPU, recorder drops) and saturated; motion
#                                                               gate CPU on a still scene
#   scripts/bench.sh storage [--parts mover,upload,plan,        storage: the mover vs cp + sync, archive
#                            recording] [--files 64] [--mib 8]  upload vs curl -T to moto's S3 server
#                            [--segments 1000000]               (scripts/dev.sh setup installs it),
#                            [--cameras 4] [--seconds 30]       planning over a 1M-segment index,
#                                                               recording while the mover runs flat out
#   scripts/bench.sh auth [--logins 50] [--requests 2000]       accounts: sign-in p50/p95 (argon2id), and
#                                                               GET /cameras with a user's, an API and the
#                                                               admin token vs /health without one; the
#                                                               credential check alone, in process
#   scripts/bench.sh desk [--minutes 10]                        the operator's desk with the demo camera:
#                                                               objects tracked, incidents, alert updates,
#                                                               beeps, desktop notifications (dunst on a
#                                                               private Xvfb + session bus) per minute,
#                                                               against one alert per object (before)
#   scripts/bench.sh channels [--cameras 40]                   alert → delivered through a webhook, email
#                                                               (aiosmtpd) and MQTT (mosquitto): p50/p95
#   scripts/bench.sh backup [--segments 1000000] [--cameras 4]  `vigil backup` of a 1M-segment index while
#                                                               cameras record: time, size, recorder drops
#                                                               and write latency vs a quiet window
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

if [ "${1:-}" = grid ]; then
  # The browser spec, measuring: it drives the debug build like the browser tests do.
  shift
  cargo build -q -p vigil
  npm run --silent build:ui
  exec node tests/browser/grid.spec.mjs --bench "$@"
fi

if [ "${1:-}" = subgrid ]; then
  shift
  cargo build -q -p vigil
  npm run --silent build:ui
  exec node tests/browser/subgrid.bench.mjs "$@"
fi

cargo build --release -q -p vigil -p vigil-bench
exec target/release/vigil-bench "$@"
