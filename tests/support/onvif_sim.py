#!/usr/bin/python3
"""An ONVIF device simulator for Vigil's tests, written from the ONVIF WSDLs (devicemgmt, media,
ptz) and WS-Discovery: what a camera's ONVIF side does, on 127.0.0.1, with the stream itself from a
real RTSP server (tests/support/rtsp_server.py, two mounts).

Usage: onvif_sim.py --rtsp-port P [--user U --password PW] [--name NAME] [--discovery]
Prints "READY <http port>" once serving.

- Device service (POST /onvif/device_service): GetSystemDateAndTime (no credentials, as ONVIF
  allows), GetDeviceInformation, GetCapabilities (Media and PTZ XAddrs).
- Media (POST /onvif/media_service): GetProfiles (MainStream H264 1280x720 with PTZ, SubStream
  H264 640x360, a JPEG profile), GetStreamUri (rtsp://127.0.0.1:P/main or /sub), GetSnapshotUri.
- PTZ (POST /onvif/ptz_service): ContinuousMove, Stop, GetPresets, SetPreset, GotoPreset.
- Every call but GetSystemDateAndTime must carry a WS-Security UsernameToken whose digest
  (Base64(SHA-1(nonce + created + password))) is right; otherwise HTTP 400 with the SOAP fault
  ter:NotAuthorized, as ONVIF Core says.
- GET /calls answers JSON: every authenticated call (operation and arguments), for tests to check
  what reached the "camera" (PTZ moves, presets). POST /control {"rtsp_port": N} moves its streams
  to another RTSP server, as a firmware update that changes the URIs would.
- With --discovery, answers WS-Discovery Probes for NetworkVideoTransmitter on 239.255.255.250:3702
  joined on loopback, with its XAddrs and name/hardware scopes."""
import argparse
import base64
import hashlib
import json
import socket
import struct
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOAP = "http://www.w3.org/2003/05/soap-envelope"
NS = (
    'xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" '
    'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:ter="http://www.onvif.org/ver10/error"'
)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def find(el, name):
    for e in el.iter():
        if local(e.tag) == name:
            return e
    return None


def text(el, name):
    e = find(el, name) if el is not None else None
    return e.text.strip() if e is not None and e.text else None


def envelope(body):
    return f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope {NS}><s:Body>{body}</s:Body></s:Envelope>'


def fault(sub, reason):
    return envelope(
        "<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode>"
        f"<s:Value>ter:{sub}</s:Value></s:Subcode></s:Code>"
        f'<s:Reason><s:Text xml:lang="en">{reason}</s:Text></s:Reason></s:Fault>'
    )


PROFILES = [
    # token, name, encoding, width, height, fps, kbps, mount, ptz
    ("prof_main", "MainStream", "H264", 1280, 720, 25, 4096, "main", True),
    ("prof_sub", "SubStream", "H264", 640, 360, 15, 512, "sub", False),
    ("prof_jpeg", "MJPEG", "JPEG", 640, 360, 5, 2048, "mjpeg", False),
]


class Device:
    def __init__(self, args, http_port):
        self.args = args
        self.http_port = http_port
        self.calls = []
        self.presets = {"preset_1": "Gate"}
        self.lock = threading.Lock()

    def authorized(self, root):
        if self.args.user is None:
            return True
        tok = find(root, "UsernameToken")
        if tok is None:
            return False
        user, pw, nonce, created = (text(tok, n) for n in ("Username", "Password", "Nonce", "Created"))
        if user != self.args.user or not pw or not nonce or not created:
            return False
        try:
            raw = base64.b64decode(nonce)
        except ValueError:
            return False
        want = base64.b64encode(hashlib.sha1(raw + created.encode() + self.args.password.encode()).digest()).decode()
        return pw == want

    def record(self, op, **kw):
        with self.lock:
            self.calls.append({"op": op, **kw})

    def handle(self, path, body):
        """(status, xml) for a SOAP request."""
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return 400, fault("InvalidArgVal", "not XML")
        b = find(root, "Body")
        op_el = next(iter(b), None) if b is not None else None
        if op_el is None:
            return 400, fault("InvalidArgVal", "empty body")
        op = local(op_el.tag)
        if op == "GetSystemDateAndTime":
            t = time.gmtime()
            return 200, envelope(
                "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>"
                "<tt:DaylightSavings>false</tt:DaylightSavings><tt:UTCDateTime>"
                f"<tt:Time><tt:Hour>{t.tm_hour}</tt:Hour><tt:Minute>{t.tm_min}</tt:Minute><tt:Second>{t.tm_sec}</tt:Second></tt:Time>"
                f"<tt:Date><tt:Year>{t.tm_year}</tt:Year><tt:Month>{t.tm_mon}</tt:Month><tt:Day>{t.tm_mday}</tt:Day></tt:Date>"
                "</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
            )
        if not self.authorized(root):
            self.record("refused", operation=op)
            return 400, fault("NotAuthorized", "Sender not authorized")
        base = f"http://127.0.0.1:{self.http_port}/onvif"
        if op == "GetDeviceInformation":
            self.record(op)
            return 200, envelope(
                "<tds:GetDeviceInformationResponse><tds:Manufacturer>Vigil Test Cameras</tds:Manufacturer>"
                f"<tds:Model>{self.args.model}</tds:Model><tds:FirmwareVersion>2.4.1</tds:FirmwareVersion>"
                f"<tds:SerialNumber>{self.args.serial}</tds:SerialNumber><tds:HardwareId>HW-7</tds:HardwareId>"
                "</tds:GetDeviceInformationResponse>"
            )
        if op == "GetCapabilities":
            self.record(op)
            return 200, envelope(
                "<tds:GetCapabilitiesResponse><tds:Capabilities>"
                f"<tt:Device><tt:XAddr>{base}/device_service</tt:XAddr></tt:Device>"
                f"<tt:Media><tt:XAddr>{base}/media_service</tt:XAddr></tt:Media>"
                f"<tt:PTZ><tt:XAddr>{base}/ptz_service</tt:XAddr></tt:PTZ>"
                "</tds:Capabilities></tds:GetCapabilitiesResponse>"
            )
        if op == "GetProfiles":
            self.record(op)
            out = []
            for tok, name, enc, w, h, fps, kbps, _mount, ptz in PROFILES:
                out.append(
                    f'<trt:Profiles token="{tok}" fixed="true"><tt:Name>{name}</tt:Name>'
                    f'<tt:VideoEncoderConfiguration token="venc_{tok}"><tt:Name>{name}</tt:Name><tt:Encoding>{enc}</tt:Encoding>'
                    f"<tt:Resolution><tt:Width>{w}</tt:Width><tt:Height>{h}</tt:Height></tt:Resolution>"
                    f"<tt:RateControl><tt:FrameRateLimit>{fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval>"
                    f"<tt:BitrateLimit>{kbps}</tt:BitrateLimit></tt:RateControl></tt:VideoEncoderConfiguration>"
                    + ('<tt:PTZConfiguration token="ptz0"><tt:Name>PTZ</tt:Name></tt:PTZConfiguration>' if ptz else "")
                    + "</trt:Profiles>"
                )
            return 200, envelope(f"<trt:GetProfilesResponse>{''.join(out)}</trt:GetProfilesResponse>")
        profile = text(op_el, "ProfileToken")
        known = {p[0]: p for p in PROFILES}
        if op in ("GetStreamUri", "GetSnapshotUri"):
            if profile not in known:
                return 400, fault("NoProfile", "no such profile")
            self.record(op, profile=profile)
            mount = known[profile][7]
            uri = (
                f"rtsp://127.0.0.1:{self.args.rtsp_port}/{mount}"
                if op == "GetStreamUri"
                else f"http://127.0.0.1:{self.http_port}/snapshot/{profile}.jpg"
            )
            return 200, envelope(
                f"<trt:{op}Response><trt:MediaUri><tt:Uri>{uri}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
                f"<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:{op}Response>"
            )
        if op in ("ContinuousMove", "Stop", "GetPresets", "SetPreset", "GotoPreset"):
            if profile not in known or not known[profile][8]:
                return 400, fault("NoProfile", "no PTZ on this profile")
            if op == "ContinuousMove":
                pt, z = find(op_el, "PanTilt"), find(op_el, "Zoom")
                self.record(
                    op,
                    profile=profile,
                    pan=float(pt.get("x", 0)) if pt is not None else 0.0,
                    tilt=float(pt.get("y", 0)) if pt is not None else 0.0,
                    zoom=float(z.get("x", 0)) if z is not None else 0.0,
                )
                return 200, envelope("<tptz:ContinuousMoveResponse/>")
            if op == "Stop":
                self.record(op, profile=profile)
                return 200, envelope("<tptz:StopResponse/>")
            if op == "GetPresets":
                self.record(op, profile=profile)
                items = "".join(
                    f'<tptz:Preset token="{t}"><tt:Name>{escape(n)}</tt:Name></tptz:Preset>' for t, n in self.presets.items()
                )
                return 200, envelope(f"<tptz:GetPresetsResponse>{items}</tptz:GetPresetsResponse>")
            if op == "SetPreset":
                name = text(op_el, "PresetName") or "Preset"
                tok = f"preset_{len(self.presets) + 1}"
                self.presets[tok] = name
                self.record(op, profile=profile, name=name, token=tok)
                return 200, envelope(f"<tptz:SetPresetResponse><tptz:PresetToken>{tok}</tptz:PresetToken></tptz:SetPresetResponse>")
            tok = text(op_el, "PresetToken")
            if tok not in self.presets:
                return 400, fault("NoToken", "no such preset")
            self.record(op, profile=profile, preset=tok)
            return 200, envelope("<tptz:GotoPresetResponse/>")
        return 400, fault("ActionNotSupported", f"{op} is not supported")


def discovery_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if hasattr(socket, "SO_REUSEPORT"):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("", 3702))
    mreq = struct.pack("4s4s", socket.inet_aton("239.255.255.250"), socket.inet_aton("127.0.0.1"))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    return s


def serve_discovery(dev, endpoint, s):
    while True:
        data, peer = s.recvfrom(65536)
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            continue
        if find(root, "Probe") is None:
            continue
        types = text(root, "Types")
        if types and "NetworkVideoTransmitter" not in types:
            continue
        mid = text(root, "MessageID") or ""
        name = dev.args.name.replace(" ", "%20")
        reply = (
            '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" '
            'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header>'
            f"<a:MessageID>uuid:{uuid.uuid4()}</a:MessageID><a:RelatesTo>{mid}</a:RelatesTo>"
            "<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>"
            "<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header><s:Body>"
            f"<d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>{endpoint}</a:Address></a:EndpointReference>"
            "<d:Types>dn:NetworkVideoTransmitter</d:Types>"
            f"<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/{name} "
            f"onvif://www.onvif.org/hardware/{dev.args.model}</d:Scopes>"
            f"<d:XAddrs>http://127.0.0.1:{dev.http_port}/onvif/device_service</d:XAddrs>"
            "<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"
        )
        s.sendto(reply.encode(), peer)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rtsp-port", type=int, required=True)
    ap.add_argument("--user")
    ap.add_argument("--password", default="")
    ap.add_argument("--name", default="Sim Camera")
    ap.add_argument("--model", default="SIM-PTZ-1")
    ap.add_argument("--serial", default="SIM0001")
    ap.add_argument("--discovery", action="store_true")
    args = ap.parse_args()

    holder = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            if self.path == "/calls":
                with holder["dev"].lock:
                    body = json.dumps(holder["dev"].calls).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
            else:
                body = b"not found"
                self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(n, 1 << 20))
            if self.path == "/control":
                # Tests change the device as a firmware update would: {"rtsp_port": N}.
                change = json.loads(body or b"{}")
                if "rtsp_port" in change:
                    holder["dev"].args.rtsp_port = int(change["rtsp_port"])
                self.send_response(204)
                self.end_headers()
                return
            status, xml = holder["dev"].handle(self.path, body)
            out = xml.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    dev = Device(args, srv.server_address[1])
    holder["dev"] = dev
    if args.discovery:
        # Joined before READY: a probe sent right after is answered.
        sock = discovery_socket()
        t = threading.Thread(target=serve_discovery, args=(dev, f"urn:uuid:{uuid.uuid4()}", sock), daemon=True)
        t.start()
    print(f"READY {srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
