#!/usr/bin/python3
"""A real RTSP server for Vigil's tests: GStreamer's gst-rtsp-server serving MP4 files without
re-encoding. Usage: rtsp_server.py PORT NAME=CODEC:PATH ...  (CODEC is h264 or h265; PORT 0 picks
one). Prints "READY <port>" once listening. Run with /usr/bin/python3 (it needs python3-gi)."""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_service(sys.argv[1])
mounts = server.get_mount_points()
for spec in sys.argv[2:]:
    name, rest = spec.split("=", 1)
    codec, path = rest.split(":", 1)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f"( filesrc location={path} ! qtdemux ! {codec}parse config-interval=-1 "
        f"! rtp{codec}pay name=pay0 pt=96 )"
    )
    factory.set_shared(True)
    mounts.add_factory("/" + name, factory)
if server.attach(None) == 0:
    print("FAILED to bind", flush=True)
    sys.exit(1)
print(f"READY {server.get_bound_port()}", flush=True)
GLib.MainLoop().run()
