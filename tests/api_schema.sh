#!/usr/bin/env bash
# The OpenAPI document against the running server: schemathesis (`--checks all`) drives every HTTP
# operation of `vigil serve` with generated requests, valid and invalid, and fails on any answer the
# document does not describe (an undocumented status, a body that does not match its schema, a 5xx,
# a schema-valid request refused, an invalid one accepted, a plain-text error). The server runs the
# demo camera on real footage, so live, snapshot and recording routes answer for real.
#
# Bounded: N examples per operation (default 10, about a minute) and a fixed seed, so a failure
# reproduces; VIGIL_ST_EXAMPLES and VIGIL_ST_SEED explore further. WebSocket routes (events, MJPEG,
# MSE) are not HTTP operations schemathesis can drive; tests/live_view.rs and api_http.rs cover them.
# `PUT /storage` is left out: generated settings would name arbitrary absolute directories as storage
# tiers, and the server (rightly) initialises them — on the test machine's real filesystem.
# tests/storage_e2e.rs drives it, valid and invalid. Creating and changing alert channels is left out
# for the same kind of reason: each would point the outbox at generated hosts and ports, and Vigil
# (rightly) connects to them — from the test machine into its network. tests/api_channels.rs drives
# them, valid and invalid, against real receivers. So are saving and testing the MQTT bridge's
# settings (`PUT /notifications/mqtt`, `POST …/mqtt/test`: a broker at a generated address);
# tests/mqtt.rs drives them against mosquitto. ONVIF discovery (`POST /discovery/scan`,
# `…/probe`) is left out too: a probe connects to the generated address, a scan sends multicast
# on the LAN; tests/onvif.rs drives both against the device simulator, and PTZ
# (`…/cameras/{id}/ptz`, which talks to the camera's ONVIF address).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ST="$ROOT/.cache/schemathesis/bin/schemathesis"
BIN="$ROOT/target/debug/vigil"
[ -x "$ST" ] || { echo "schemathesis is missing: run scripts/dev.sh setup" >&2; exit 1; }
[ -x "$BIN" ] || { echo "build it first: cargo build -p vigil" >&2; exit 1; }

DATA=$(mktemp -d)
ART="$ROOT/test-artifacts"
mkdir -p "$ART"
LOG="$ART/api-schema-server.log"
DEMO="$ROOT/.cache/footage/vtest.mp4"
if [ ! -f "$DEMO" ]; then
  DEMO="$DATA/demo.mp4"
  ffmpeg -v error -f lavfi -i testsrc2=size=640x360:rate=25:duration=30 -c:v libx264 \
    -preset ultrafast -bf 0 -g 25 -pix_fmt yuv420p "$DEMO"
fi
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT

VIGIL_DETECTION=off VIGIL_NOTIFICATIONS=off VIGIL_RTMP_LISTEN=off \
  "$BIN" serve --data-dir "$DATA" --listen 127.0.0.1:0 --credential-store file --demo "$DEMO" \
  >"$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 150); do
  [ -f "$DATA/runtime.json" ] && break
  kill -0 "$PID" 2>/dev/null || { echo "vigil serve exited; see $LOG" >&2; exit 1; }
  sleep 0.2
done
[ -f "$DATA/runtime.json" ] || { echo "vigil serve did not start; see $LOG" >&2; exit 1; }
URL=$(sed -n 's/.*"url": "\(.*\)".*/\1/p' "$DATA/runtime.json")
TOKEN=$(sed -n 's/.*"token": "\(.*\)".*/\1/p' "$DATA/runtime.json")

cd "$DATA"
set +e
"$ST" run "$URL/api/v1/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks all \
  --max-examples "${VIGIL_ST_EXAMPLES:-10}" \
  --seed "${VIGIL_ST_SEED:-20261203}" \
  --workers 2 \
  --no-color \
  --exclude-path-regex 'stream$|stream/mse$|/events$' \
  --exclude-operation-id put_storage \
  --exclude-operation-id post_notifications_channels \
  --exclude-operation-id patch_notifications_channels_id \
  --exclude-operation-id put_notifications_mqtt \
  --exclude-operation-id post_notifications_mqtt_test \
  --exclude-operation-id post_discovery_scan \
  --exclude-operation-id post_discovery_probe \
  --exclude-operation-id get_cameras_id_ptz \
  --exclude-operation-id post_cameras_id_ptz \
  >"$ART/api-schema.log" 2>&1
rc=$?
set -e
sed -n '/SUMMARY/,$p' "$ART/api-schema.log"
if [ "$rc" -ne 0 ]; then
  echo "schemathesis found failures (rc $rc); the full report is in $ART/api-schema.log" >&2
  exit "$rc"
fi
echo "api schema: every operation answered as its document says"
