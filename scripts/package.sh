#!/usr/bin/env bash
# Build the .deb a security-desk PC installs: `apt install ./dist/vigil_<version>_amd64.deb`.
#
#   scripts/package.sh [--release]     (scripts/dev.sh package; CI packages the debug build)
#
# It holds the desktop app (/usr/bin/vigil-desktop, with its menu entry and icons), the `vigil`
# command (/usr/bin/vigil), ONNX Runtime beside it (/usr/lib/vigil: `vigil` finds it there without
# ORT_DYLIB_PATH), the detection models with their licences (/usr/share/vigil/models), the web UI
# (/usr/share/vigil/ui) and the systemd unit (/lib/systemd/system/vigil.service, not enabled: `sudo
# vigil service install` does that). Dependencies: the shared libraries the binaries link
# (dpkg-shlibdeps: FFmpeg, WebKitGTK, ...) plus what is only loaded at run time (GStreamer's
# decoders for video in the window, the tray's indicator library). Binaries are stripped of debug
# information; the debug build keeps its code as it was tested.
#
# Written with dpkg-deb rather than Tauri's bundler: the same recipe packages the debug build the
# tests made (no second, release build in CI), and every file's place is visible here.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROFILE=debug
[ "${1:-}" = --release ] && PROFILE=release
ORT_VERSION=1.31.1
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
ARCH=$(dpkg --print-architecture)
BIN="target/$PROFILE"
for f in "$BIN/vigil" "$BIN/vigil-desktop" ".cache/onnxruntime/libonnxruntime.so.$ORT_VERSION" ui/dist/index.html; do
  [ -e "$f" ] || { echo "package: $f is missing (scripts/dev.sh setup; build with cargo build -p vigil -p vigil-desktop)" >&2; exit 1; }
done

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
P="$STAGE/vigil"
install -d "$P/DEBIAN" "$P/usr/bin" "$P/usr/lib/vigil" "$P/usr/share/vigil/models" \
  "$P/usr/share/applications" "$P/lib/systemd/system" "$P/usr/share/doc/vigil"
for b in vigil vigil-desktop; do
  objcopy --strip-debug "$BIN/$b" "$P/usr/bin/$b"
  chmod 0755 "$P/usr/bin/$b"
done
install -m 0644 ".cache/onnxruntime/libonnxruntime.so.$ORT_VERSION" "$P/usr/lib/vigil/"
install -m 0644 models/*.toml models/*.onnx models/NOTICE.md "$P/usr/share/vigil/models/"
cp -r ui/dist "$P/usr/share/vigil/ui"
for s in 32x32 128x128 256x256; do
  install -D -m 0644 "icons/$s.png" "$P/usr/share/icons/hicolor/$s/apps/vigil.png"
done
cat >"$P/usr/share/applications/vigil.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Vigil
GenericName=Network video recorder
Comment=Record, watch and review IP cameras
Exec=/usr/bin/vigil-desktop
Icon=vigil
Terminal=false
Categories=AudioVideo;Video;Security;
DESKTOP
"$BIN/vigil" service unit | sed "s#^ExecStart=.* serve#ExecStart=/usr/bin/vigil serve#" \
  >"$P/lib/systemd/system/vigil.service"
cat >"$P/usr/share/doc/vigil/copyright" <<COPY
Vigil network video recorder. The detection models in /usr/share/vigil/models come with their own
licences (NOTICE.md there); ONNX Runtime $ORT_VERSION is MIT-licensed (Microsoft).
COPY

# Shared-library dependencies of the binaries (ONNX Runtime is dlopen'ed: not one of them).
SH=$(mktemp -d)
mkdir -p "$SH/debian"
printf 'Source: vigil\n\nPackage: vigil\nArchitecture: any\n' >"$SH/debian/control"
shlibs=$(cd "$SH" && dpkg-shlibdeps -O -e"$P/usr/bin/vigil" -e"$P/usr/bin/vigil-desktop" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
rm -rf "$SH"
[ -n "$shlibs" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
SIZE=$(du -sk "$P" --exclude=DEBIAN | cut -f1)
cat >"$P/DEBIAN/control" <<CONTROL
Package: vigil
Version: $VERSION
Architecture: $ARCH
Maintainer: Vigil developers <vigil@localhost>
Installed-Size: $SIZE
Depends: $shlibs, gstreamer1.0-plugins-base, gstreamer1.0-plugins-good, gstreamer1.0-plugins-bad, gstreamer1.0-libav, libayatana-appindicator3-1
Section: video
Priority: optional
Description: Network video recorder for a security desk
 Records IP cameras without re-encoding, shows them live in a camera grid,
 reviews recordings on a timeline, detects people and vehicles, ages footage
 through storage tiers and reaches people by webhook, email and MQTT.
CONTROL
cat >"$P/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
# A service enabled with `vigil service install` stops with the package.
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
  systemctl stop vigil.service 2>/dev/null || true
fi
exit 0
PRERM
chmod 0755 "$P/DEBIAN/prerm"
mkdir -p dist
OUT="dist/vigil_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$P" "$OUT" >/dev/null
echo "$OUT ($(du -h "$OUT" | cut -f1), installed $(( SIZE / 1024 )) MB)"
