"""HTTP(S) peer: records every request, answers Basic, Digest (MD5 and SHA-256) challenges, serves a
camera snapshot and plays a third-party verification server.

Paths: /basic/<rest> and /digest/<rest> and /digest-sha256/<rest> require those schemes with
--user/--password, then behave as /<rest>. /snapshot.jpg returns --snapshot's bytes. /status/<n>
answers n. /redirect answers 302. /api/visitor/scan answers {"result":"OK"} when codeKey holds
--accept, else {"result":"DENY"}. /slow waits 3 s (or ?seconds=). /_requests returns what was recorded (JSON).

With --listen-later the port is bound but refuses connections (a server that is down) until the line
"listen" arrives on stdin; the peer then answers {"listening": true}. Holding the port meanwhile keeps
another test's server from taking it, which a port freed and reused later could not promise.
"""
import argparse
import base64
import hashlib
import json
import os
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(__file__))
from peer_common import announce, exit_when_stdin_closes, self_signed  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--user", default="admin")
parser.add_argument("--password", default="secret")
parser.add_argument("--snapshot")
parser.add_argument("--accept", default="123456")
parser.add_argument("--tls-dir")
parser.add_argument("--listen-later", action="store_true")
args = parser.parse_args()

snapshot = open(args.snapshot, "rb").read() if args.snapshot else b""
recorded = []
lock = threading.Lock()
REALM = "gatehouse-test"


def parse_digest(header):
    fields = {}
    for part in header[len("Digest "):].split(","):
        if "=" in part:
            k, v = part.strip().split("=", 1)
            fields[k.strip()] = v.strip().strip('"')
    return fields


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def check_auth(self, scheme):
        header = self.headers.get("Authorization", "")
        if scheme == "basic":
            expected = "Basic " + base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
            if header == expected:
                return True
            self.reply(401, b"auth required", {"WWW-Authenticate": f'Basic realm="{REALM}"'})
            return False
        algorithm = "SHA-256" if scheme == "digest-sha256" else "MD5"
        h = (lambda s: hashlib.sha256(s.encode()).hexdigest()) if algorithm == "SHA-256" else (lambda s: hashlib.md5(s.encode()).hexdigest())
        if header.startswith("Digest "):
            f = parse_digest(header)
            if f.get("username") == args.user and f.get("algorithm", "MD5").upper() == algorithm:
                ha1 = h(f"{args.user}:{REALM}:{args.password}")
                ha2 = h(f"{self.command}:{f.get('uri', '')}")
                expected = h(f"{ha1}:{f.get('nonce')}:{f.get('nc')}:{f.get('cnonce')}:{f.get('qop')}:{ha2}")
                if f.get("response") == expected:
                    return True
        nonce = uuid.uuid4().hex
        self.reply(401, b"auth required", {
            "WWW-Authenticate": f'Digest realm="{REALM}", qop="auth", algorithm={algorithm}, nonce="{nonce}", opaque="{uuid.uuid4().hex}"'
        })
        return False

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path
        for scheme in ("digest-sha256", "digest", "basic"):
            if path.startswith(f"/{scheme}/"):
                if not self.check_auth(scheme):
                    return
                path = path[len(scheme) + 1:]
                break
        split = urlsplit(path)
        if split.path == "/_requests":
            with lock:
                data = json.dumps(recorded).encode()
            return self.reply(200, data, {"Content-Type": "application/json"})
        with lock:
            recorded.append({
                "method": self.command, "path": path, "headers": dict(self.headers.items()),
                "body": base64.b64encode(body).decode(),
            })
        if split.path == "/snapshot.jpg":
            return self.reply(200, snapshot, {"Content-Type": "image/jpeg"})
        if split.path.startswith("/status/"):
            return self.reply(int(split.path.rsplit("/", 1)[1]), b"status body")
        if split.path == "/redirect":
            return self.reply(302, b"", {"Location": "/elsewhere"})
        if split.path == "/slow":
            time.sleep(float(parse_qs(split.query).get("seconds", ["3"])[0]))
            return self.reply(200, b"slow")
        if split.path == "/api/visitor/scan":
            key = parse_qs(split.query).get("codeKey", [""])[0]
            verdict = b'{"result":"OK"}' if args.accept in key else b'{"result":"DENY"}'
            return self.reply(200, verdict, {"Content-Type": "application/json"})
        self.reply(200, b"OK", {"Content-Type": "text/plain", "X-Peer": "gatehouse-test"})

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", args.port), Handler, bind_and_activate=False)
server.server_bind()
info = {"port": server.server_address[1]}
if args.tls_dir:
    cert, key = self_signed(args.tls_dir)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    info["ca"] = cert
listening = threading.Event()


def command(line):
    if line == "listen" and not listening.is_set():
        server.server_activate()
        listening.set()
        announce(listening=True)


exit_when_stdin_closes(command)
if not args.listen_later:
    server.server_activate()
    listening.set()
announce(**info)
listening.wait()
server.serve_forever()
