#!/usr/bin/env bash
# The .deb as a security-desk PC takes it: built from the debug build the tests made (the release
# recipe, scripts/package.sh), installed with apt (which pulls its dependencies), `vigil serve
# --demo` run from /usr/bin with a fresh data dir and no help from the source tree (ONNX Runtime
# and the model found beside the binary: detection `ready`, and the UI served from
# /usr/share/vigil/ui), then removed: nothing of it left on the system.
#
# It installs into the machine's own system, so it runs as root only (CI does); elsewhere it says
# so and does nothing. Prints the package's size and the install time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "$(id -u)" != 0 ]; then
  echo "package test: installing a package needs root (CI runs it as root); not run here"
  exit 0
fi
if dpkg -s vigil >/dev/null 2>&1; then
  echo "package test: a vigil package is already installed on this machine; not touching it" >&2
  exit 1
fi
fail() { echo "package test FAILED: $*" >&2; [ -n "${LOG:-}" ] && tail -30 "$LOG" >&2; exit 1; }
out=$(bash scripts/package.sh) || fail "scripts/package.sh"
DEB=$(echo "$out" | awk '{print $1}')
echo "built $out"

DATA=$(mktemp -d)
LOG="$ROOT/test-artifacts/package-serve.log"
mkdir -p "$ROOT/test-artifacts"
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$DATA"
  dpkg -s vigil >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq vigil >/dev/null 2>&1
  true
}
trap cleanup EXIT

start=$(date +%s%N)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "./$DEB" >/dev/null \
  || fail "apt-get install ./$DEB"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "installed in $((took_ms / 1000)).$(( (took_ms % 1000) / 100 )) s"
for f in /usr/bin/vigil /usr/bin/vigil-desktop /usr/lib/vigil/libonnxruntime.so.1.31.1 \
  /usr/share/vigil/models/nanodet.toml /usr/share/vigil/ui/index.html \
  /usr/share/applications/vigil.desktop /lib/systemd/system/vigil.service; do
  [ -e "$f" ] || fail "$f not installed"
done
grep -q '^ExecStart=/usr/bin/vigil serve' /lib/systemd/system/vigil.service || fail "the unit's ExecStart"

# From /usr/bin, outside the source tree: nothing points it at the repository.
cd "$DATA"
env -u ORT_DYLIB_PATH -u VIGIL_MODEL -u VIGIL_UI_DIR -u VIGIL_DETECTION VIGIL_CREDENTIAL_STORE=file VIGIL_RTMP_LISTEN=off \
  VIGIL_NOTIFICATIONS=off /usr/bin/vigil serve --data-dir "$DATA/data" --listen 127.0.0.1:0 \
  --demo "$ROOT/.cache/footage/vtest.mp4" >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 150); do [ -s "$DATA/data/runtime.json" ] && break; sleep 0.2; done
[ -s "$DATA/data/runtime.json" ] || fail "vigil serve did not start"
URL=$(sed -n 's/.*"url": "\(.*\)".*/\1/p' "$DATA/data/runtime.json")
TOKEN=$(sed -n 's/.*"token": "\(.*\)".*/\1/p' "$DATA/data/runtime.json")
state=
for _ in $(seq 1 150); do
  status=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$URL/api/v1/detection/status" || true)
  state=$(echo "$status" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
  [ "$state" = ready ] && break
  [ "$state" = unavailable ] && fail "detection unavailable: $status"
  sleep 0.2
done
[ "$state" = ready ] || fail "detection not ready: $status"
echo "detection ready from the package: $(echo "$status" | sed -n 's/.*"library":"\([^"]*\)".*/\1/p')"
curl -fsS "$URL/" | grep -q '<div id="root">' || fail "the UI is not served from /usr/share/vigil/ui"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
cd "$ROOT"

DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq vigil >/dev/null || fail "apt-get remove vigil"
for f in /usr/bin/vigil /usr/bin/vigil-desktop /usr/lib/vigil /usr/share/vigil /lib/systemd/system/vigil.service; do
  [ -e "$f" ] && fail "$f left after removal"
done
echo "package test passed"
