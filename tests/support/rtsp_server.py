#!/usr/bin/python3
"""A real RTSP server for Vigil's tests: GStreamer's gst-rtsp-server serving MP4 files without
re-encoding. Usage: rtsp_server.py PORT NAME=CODEC:PATH ...  (CODEC is h264 or h265; PORT 0 picks
one). Prints "READY <port>" once listening. Run with /usr/bin/python3 (it needs python3-gi).

A mount `NAME=clock:WIDTHxHEIGHT` is instead a live camera made here: 25 fps frames generated in
Python, each showing the wall clock (CLOCK_REALTIME, ms) at the moment it was made as a block code
(see `ClockFrames` below), through appsrc (live) ! x264enc tune=zerolatency speed-preset=ultrafast
key-int-max=25 bframes=0 ! rtph264pay. Used to measure glass-to-glass latency (crates/bench).

`rtsp_server.py --frames OUT.yuv WIDTHxHEIGHT N [START_MS [STEP_MS]]` writes N such frames as raw
I420 (yuv420p) to OUT.yuv, prints the time encoded in each (one per line) and exits; no GStreamer.

The block code: 64 cells in two rows of 32 across the full width (a cell is WIDTH/32 pixels square;
40 px at 1280x720, still 20 px once scaled to 640x360), starting one cell below the top. Cell k
(row-major, k = 0 is top-left) is bit 63-k of a 64-bit word: the 48-bit time in ms, then a CRC-16
(CCITT: poly 0x1021, init 0xFFFF) of its 6 big-endian bytes. Black is luma 16, white 235, on a mid-grey
background; the rest of the picture is moving stripes so the encoder has motion to code. Readers
sample the middle of each cell, threshold at mid-grey and reject a word whose CRC does not match."""
import sys
import time

CLOCK_FPS = 25
CELLS = 32  # per row; two rows


def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def clock_bits(ms):
    ms &= (1 << 48) - 1
    word = (ms << 16) | crc16(ms.to_bytes(6, "big"))
    return [(word >> (63 - k)) & 1 for k in range(64)]


class ClockFrames:
    """Makes I420 frames of WIDTHxHEIGHT carrying a time code, with plain bytes (no numpy)."""

    def __init__(self, width, height):
        if width % CELLS or width % 2 or height % 2:
            raise ValueError("width must be a multiple of 32 and height even")
        self.w, self.h = width, height
        self.cell = width // CELLS
        if self.cell < 16 or 4 * self.cell > height:
            raise ValueError("picture too small for the time code")
        self.grey_row = bytes([128]) * width
        self.cell_px = {0: bytes([16]) * self.cell, 1: bytes([235]) * self.cell}
        # Stripes: two bands of different periods, scrolled at different speeds.
        self.band_a = bytes((16 + (x * 7) % 220) if (x // 24) % 2 else 60 for x in range(width))
        self.band_b = bytes(200 if (x // 64) % 2 else (40 + x % 150) for x in range(width))
        self.chroma = bytes([128]) * (width // 2 * height // 2 * 2)
        self.n = 0

    def frame(self, ms):
        """One I420 frame (bytes) showing `ms`."""
        bits = clock_bits(ms)
        rows = [self.grey_row] * self.cell
        for r in range(2):
            line = b"".join(self.cell_px[b] for b in bits[r * CELLS:(r + 1) * CELLS])
            rows.extend([line] * self.cell)
        rows.extend([self.grey_row] * self.cell)
        rest = self.h - 4 * self.cell
        oa = (self.n * 8) % self.w
        ob = (self.w - (self.n * 3) % self.w) % self.w
        a = self.band_a[oa:] + self.band_a[:oa]
        b = self.band_b[ob:] + self.band_b[:ob]
        for y in range(rest):
            rows.append(a if (y // 48) % 2 == 0 else b)
        self.n += 1
        return b"".join(rows) + self.chroma


def write_frames(argv):
    out, size, n = argv[0], argv[1], int(argv[2])
    start = int(argv[3]) if len(argv) > 3 else time.time_ns() // 1_000_000
    step = int(argv[4]) if len(argv) > 4 else 1000 // CLOCK_FPS
    w, h = (int(v) for v in size.split("x"))
    gen = ClockFrames(w, h)
    with open(out, "wb") as f:
        for i in range(n):
            ms = start + i * step
            f.write(gen.frame(ms))
            print(ms)


if len(sys.argv) > 1 and sys.argv[1] == "--frames":
    write_frames(sys.argv[2:])
    sys.exit(0)

import os  # noqa: E402
import threading  # noqa: E402

import gi  # noqa: E402

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def clock_pusher(appsrc, gen):
    """Push a frame every 1/25 s, each stamped with the wall clock just before it is made, until
    the pipeline stops taking them. Late frames are skipped rather than bunched."""
    period = 1.0 / CLOCK_FPS
    t0 = time.monotonic()
    k = 0
    while True:
        due = t0 + k * period
        now = time.monotonic()
        if now < due:
            time.sleep(due - now)
        elif now - due > 2 * period:
            k = int((now - t0) / period)  # fell behind: skip to now
        ms = time.time_ns() // 1_000_000
        data = gen.frame(ms)
        # Copied into memory GStreamer owns: a wrapped Python bytes may be freed while in use.
        buf = Gst.Buffer.new_allocate(None, len(data), None)
        buf.fill(0, data)
        buf.duration = Gst.SECOND // CLOCK_FPS
        if appsrc.emit("push-buffer", buf) != Gst.FlowReturn.OK:
            return
        k += 1


def clock_factory(size):
    w, h = (int(v) for v in size.split("x"))
    ClockFrames(w, h)  # validate the size now
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( appsrc name=clocksrc is-live=true do-timestamp=true format=time "
        f'caps="video/x-raw,format=I420,width={w},height={h},framerate={CLOCK_FPS}/1" '
        "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 bframes=0 "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 )"
    )

    def configure(_factory, media):
        appsrc = media.get_element().get_by_name("clocksrc")
        threading.Thread(target=clock_pusher, args=(appsrc, ClockFrames(w, h)), daemon=True).start()

    factory.connect("media-configure", configure)
    return factory


Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_service(sys.argv[1])
mounts = server.get_mount_points()
# RTSP over TLS (rtsps://, as cameras offer on port 322) when RTSP_TLS names a PEM file holding a
# certificate and its key; anyone may watch, as without TLS.
TLS = os.environ.get("RTSP_TLS")
if TLS:
    gi.require_version("GstRtsp", "1.0")
    from gi.repository import Gio, GstRtsp  # noqa: E402

    auth = GstRtspServer.RTSPAuth()
    auth.set_tls_certificate(Gio.TlsCertificate.new_from_file(TLS))
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "anyone")
    auth.set_default_token(token)
    server.set_auth(auth)

for spec in sys.argv[2:]:
    name, rest = spec.split("=", 1)
    codec, path = rest.split(":", 1)
    if codec == "clock":
        factory = clock_factory(path)
    else:
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            f"( filesrc location={path} ! qtdemux ! {codec}parse config-interval=-1 "
            f"! rtp{codec}pay name=pay0 pt=96 )"
        )
    factory.set_shared(True)
    if TLS:
        factory.add_role_from_structure(
            Gst.Structure.from_string(
                "anyone, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
            )[0]
        )
        factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
    mounts.add_factory("/" + name, factory)
if server.attach(None) == 0:
    print("FAILED to bind", flush=True)
    sys.exit(1)
print(f"READY {server.get_bound_port()}", flush=True)
GLib.MainLoop().run()
