#!/usr/bin/env bash
# Vigil's one entry point for a fresh Debian 12 / Ubuntu machine: installs what is missing (apt
# packages, npm packages, the ONNX Runtime library, demo footage), then runs Vigil or every test.
# Idempotent: a second run skips whatever is already there.
#
#   scripts/dev.sh run     set up, build, start Vigil with a demo camera (desktop window if there is
#                          a display, else the headless server and a link for the browser)
#   scripts/dev.sh test    set up, build, run every test (what CI runs)
#   scripts/dev.sh setup   only install what is missing
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="$ROOT/.cache"
ORT_VERSION="1.31.1"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages the build, the demo and the tests need.
APT_PACKAGES=(
  # build: Rust -sys crates and the Tauri desktop shell
  build-essential pkg-config clang libclang-dev file libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev libxdo-dev
  # FFmpeg (ingest/recording) and footage preparation
  ffmpeg libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libavfilter-dev
  libavdevice-dev libswresample-dev
  # video in the desktop webview (WebKitGTK decodes through GStreamer)
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav
  # demo footage (OpenCV's vtest.avi) and the ONNX Runtime wheel download
  opencv-doc python3-pip unzip
  # the API document checked against the server (schemathesis, from PyPI into a venv)
  python3-venv
  # recording tests: a real RTSP server (GStreamer's, through its Python bindings)
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-ugly gstreamer1.0-tools gstreamer1.0-x
  # desktop tests: a real window under Xvfb, a session bus, screenshots
  xvfb xauth x11-utils imagemagick dbus dbus-x11 dunst xdotool
  # browser tests: live view played in headless Chromium (through playwright-core)
  chromium
  # detection tests: real still images (dog.jpg, person.jpg)
  darknet
  sqlite3 ca-certificates
  # service tests: systemd-analyze verify of the unit `vigil service` writes
  systemd
  # alert channel tests: a real SMTP server and a real MQTT broker
  python3-aiosmtpd mosquitto
)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"; fi
}

ensure_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "apt packages: all present"; return; fi
  say "apt packages: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_toolchains() {
  command -v cargo >/dev/null || die "Rust is missing: install it with rustup (Rust 1.92 or newer), then rerun"
  local rv; rv=$(rustc --version | awk '{print $2}')
  [ "$(printf '%s\n1.92.0\n' "$rv" | sort -V | head -1)" = "1.92.0" ] || die "Rust $rv is too old; 1.92+ is needed (rustup update)"
  command -v node >/dev/null || die "Node.js 20.19+ is missing (Debian's nodejs 18 is too old for Vite 8)"
  local nv; nv=$(node --version | tr -d v)
  [ "$(printf '%s\n20.19.0\n' "$nv" | sort -V | head -1)" = "20.19.0" ] || die "Node $nv is too old; 20.19+ is needed"
}

ensure_npm() {
  if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    say "npm packages: up to date"; return
  fi
  say "npm packages: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
}

# The ONNX Runtime shared library from PyPI's onnxruntime wheel (object detection loads it at run time).
ensure_onnxruntime() {
  local dir="$CACHE/onnxruntime" lib="libonnxruntime.so.$ORT_VERSION"
  if [ -f "$dir/$lib" ]; then say "ONNX Runtime $ORT_VERSION: present"; return; fi
  say "ONNX Runtime $ORT_VERSION: downloading the PyPI wheel"
  local tmp; tmp=$(mktemp -d)
  local py; py=$(command -v python3)
  "$py" -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "onnxruntime==$ORT_VERSION" \
    || /usr/bin/python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "onnxruntime==$ORT_VERSION"
  mkdir -p "$dir"
  unzip -q -o -j "$tmp"/onnxruntime-*.whl "onnxruntime/capi/$lib" -d "$dir"
  ln -sf "$lib" "$dir/libonnxruntime.so.1"
  ln -sf "libonnxruntime.so.1" "$dir/libonnxruntime.so"
  rm -rf "$tmp"
}

# schemathesis (PyPI), pinned, in its own venv: tests/api_schema.sh drives the server with it.
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  local venv="$CACHE/schemathesis"
  if "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    say "schemathesis $SCHEMATHESIS_VERSION: present"; return
  fi
  say "schemathesis $SCHEMATHESIS_VERSION: installing into $venv"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}

# An S3-compatible server for the archive tier's tests (moto's server, PyPI), pinned, in its own
# venv; tests find it at .cache/moto/bin/moto_server (or $VIGIL_MOTO_SERVER).
MOTO_VERSION=5.2.5
ensure_moto() {
  local venv="$CACHE/moto"
  if "$venv/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null \
    && [ -x "$venv/bin/moto_server" ]; then
    say "moto $MOTO_VERSION: present"; return
  fi
  say "moto $MOTO_VERSION: installing into $venv"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
}

# Demo and test footage: OpenCV's vtest.avi (people walking, a van, a car) re-encoded to H.264.
ensure_footage() {
  local out="$CACHE/footage/vtest.mp4"
  if [ -s "$out" ]; then say "footage: present"; return; fi
  local src=/usr/share/doc/opencv-doc/examples/data/vtest.avi
  [ -f "$src" ] || die "$src is missing (apt package opencv-doc)"
  say "footage: re-encoding vtest.avi to H.264"
  mkdir -p "$(dirname "$out")"
  ffmpeg -hide_banner -loglevel error -y -i "$src" -an -c:v libx264 -preset veryfast -crf 23 \
    -pix_fmt yuv420p -g 20 -movflags +faststart "$out.tmp.mp4"
  mv "$out.tmp.mp4" "$out"
}

setup() {
  ensure_apt
  ensure_toolchains
  ensure_npm
  ensure_onnxruntime
  ensure_footage
  ensure_schemathesis
  ensure_moto
}

build_ui() {
  say "web UI: build"
  npm run --silent build:ui
}

run() {
  setup
  build_ui
  say "Rust: build"
  cargo build -p vigil -p vigil-desktop
  local data="${VIGIL_DATA_DIR:-$ROOT/var/demo}"
  mkdir -p "$data"
  export ORT_DYLIB_PATH="$CACHE/onnxruntime/libonnxruntime.so.$ORT_VERSION"
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${VIGIL_HEADLESS:-}" ]; then
    say "starting the Vigil desktop app (data in $data)"
    VIGIL_DATA_DIR="$data" VIGIL_DEMO="$CACHE/footage/vtest.mp4" exec target/debug/vigil-desktop
  fi
  say "no display: starting the headless server (data in $data); stop with Ctrl-C"
  ( for _ in $(seq 1 100); do
      if [ -f "$data/runtime.json" ]; then
        url=$(sed -n 's/.*"url": "\(.*\)".*/\1/p' "$data/runtime.json")
        tok=$(sed -n 's/.*"token": "\(.*\)".*/\1/p' "$data/runtime.json")
        say "open $url/#token=$tok in a browser"; break
      fi; sleep 0.2; done ) &
  exec target/debug/vigil serve --data-dir "$data" --demo "$CACHE/footage/vtest.mp4" --ui-dir ui/dist
}

# A fresh clone's build and tests take about 9 GB (target/, node_modules, .cache); a full disk
# fails the build half-way with "No space left on device" (seen in CI), so say it first.
ensure_disk() {
  local need_gb=$1 free_kb
  free_kb=$(df -Pk "$ROOT" | awk 'NR==2 {print $4}')
  [ "$free_kb" -ge $((need_gb * 1024 * 1024)) ] ||
    die "only $((free_kb / 1024 / 1024)) GB free under $ROOT; building and testing Vigil needs about $need_gb GB (cargo clean in other checkouts frees the most)"
}

test_all() {
  ensure_disk 10
  setup
  build_ui
  say "web UI: unit tests"
  npm run --silent test:ui
  say "Rust: format and lints"
  cargo fmt --all -- --check
  cargo clippy --workspace --all-targets --locked -- -D warnings
  say "Rust: build and tests"
  cargo build --workspace --locked
  say "web UI: API types match the server's OpenAPI document"
  npm run --silent check:api
  cargo test --workspace --locked
  say "API: schemathesis against vigil serve (the document is the truth)"
  bash tests/api_schema.sh
  say "browser: live view, grid, alerts, timeline and cameras in headless Chromium"
  npm run --silent test:browser
  say "desktop: window under Xvfb"
  bash tests/desktop_window.sh
  say "package: the .deb installed, run from /usr/bin, removed"
  bash tests/package.sh
  say "all tests passed"
}

package() {
  setup
  build_ui
  say "Rust: build"
  cargo build -p vigil -p vigil-desktop ${1:+"$1"}
  say "package: .deb"
  bash scripts/package.sh "$@"
}

case "${1:-}" in
  run) run ;;
  test) test_all ;;
  setup) setup ;;
  package) shift; package "$@" ;;
  *) echo "usage: scripts/dev.sh run|test|setup|package [--release]" >&2; exit 2 ;;
esac
