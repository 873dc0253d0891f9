#!/usr/bin/python3
"""A real SMTP server for the email channel's tests (aiosmtpd, Debian's python3-aiosmtpd).

    smtp_server.py OUTDIR [USER PASSWORD]

Listens on 127.0.0.1 at a free port and prints "READY <port>". Every message accepted is written
to OUTDIR/<n>.eml (as received) with its recipients in OUTDIR/<n>.rcpt. With USER and PASSWORD,
AUTH is required (over plain text: the tests run on loopback) and other credentials are refused.
Runs until killed or until stdin closes.
"""
import os
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

out = sys.argv[1]
user = sys.argv[2] if len(sys.argv) > 3 else None
password = sys.argv[3] if len(sys.argv) > 3 else None
os.makedirs(out, exist_ok=True)
lock = threading.Lock()


class Handler:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            n = len([f for f in os.listdir(out) if f.endswith(".eml")])
            with open(os.path.join(out, f"{n}.rcpt"), "w") as f:
                f.write(",".join(envelope.rcpt_tos))
            with open(os.path.join(out, f"{n}.eml.part"), "wb") as f:
                f.write(envelope.original_content or envelope.content)
            os.rename(os.path.join(out, f"{n}.eml.part"), os.path.join(out, f"{n}.eml"))
        return "250 Message accepted"


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword):
        if auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
kwargs = {}
if user:
    kwargs = dict(authenticator=authenticate, auth_required=True, auth_require_tls=False)
controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
print(f"READY {port}", flush=True)
try:
    sys.stdin.read()
finally:
    controller.stop()
