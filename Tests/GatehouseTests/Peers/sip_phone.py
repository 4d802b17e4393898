"""A SIP phone for the tests: Debian's baresip (the real client), driven over its ctrl_tcp module.

Starts baresip with a private configuration (one account, G.711, silence as the microphone, no sound card),
then serves a small HTTP control on loopback:
  POST /dial {"uri": "sip:door@127.0.0.1:5060"}   places a call
  POST /digits {"digits": "1#", "gap_ms": 250}    sends DTMF as RFC 4733 telephone-events (one key press each)
  POST /hangup                                     ends the call
  GET  /events                                     baresip's ctrl_tcp events so far (CALL_ESTABLISHED, …)
  GET  /info                                       {"uri": "sip:<user>@127.0.0.1:<port>"}, the phone's own address
The first stdout line is {"port": N, "sip_port": M}.
"""
import argparse
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import wave


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Baresip:
    def __init__(self, user, answer_auto):
        self.dir = tempfile.mkdtemp(prefix="baresip-")
        self.sip_port = free_port(socket.SOCK_DGRAM)
        self.ctrl_port = free_port()
        rtp = free_port(socket.SOCK_DGRAM)
        # The microphone: ten minutes of 8 kHz silence (baresip's ausine only runs at 48 kHz; G.711 is 8 kHz).
        silence = os.path.join(self.dir, "silence.wav")
        with wave.open(silence, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes(b"\0\0" * 8000 * 600)
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write(
                f"""poll_method epoll
sip_listen 127.0.0.1:{self.sip_port}
sip_transports udp
audio_source aufile,{silence}
audio_player aufile,{os.path.join(self.dir, 'heard.wav')}
audio_alert aufile,{os.path.join(self.dir, 'alert.wav')}
rtp_ports {rtp}-{rtp + 40}
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}
"""
            )
        answer = ";answermode=auto" if answer_auto else ""
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            f.write(f"<sip:{user}@127.0.0.1:{self.sip_port}>;regint=0{answer};audio_codecs=PCMU\n")
        self.log = open(os.path.join(self.dir, "baresip.log"), "w")
        self.process = subprocess.Popen(
            ["baresip", "-f", self.dir], stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.events = []
        self.lock = threading.Lock()
        self.sock = None
        for _ in range(100):
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=0.2)
                break
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        if self.sock is None:
            raise SystemExit("baresip did not start: " + open(os.path.join(self.dir, "baresip.log")).read())
        self.sock.settimeout(None)
        self.responses = {}
        self.cond = threading.Condition()
        self.token = 0
        threading.Thread(target=self.reader, daemon=True).start()

    def reader(self):
        buffer = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b":" in buffer:
                length, rest = buffer.split(b":", 1)
                size = int(length)
                if len(rest) < size + 1:
                    break
                message = json.loads(rest[:size])
                buffer = rest[size + 1 :]
                with self.cond:
                    if message.get("event"):
                        self.events.append(message)
                    elif "token" in message:
                        self.responses[message["token"]] = message
                    self.cond.notify_all()

    def command(self, command, params=""):
        with self.cond:
            self.token += 1
            token = str(self.token)
        payload = json.dumps({"command": command, "params": params, "token": token}).encode()
        self.sock.sendall(str(len(payload)).encode() + b":" + payload + b",")
        with self.cond:
            self.cond.wait_for(lambda: token in self.responses, timeout=5)
            return self.responses.pop(token, {"ok": False, "data": "no response"})

    def stop(self):
        try:
            self.command("quit")
        except OSError:
            pass
        try:
            self.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="phone")
    parser.add_argument("--auto-answer", action="store_true")
    args = parser.parse_args()
    phone = Baresip(args.user, args.auto_answer)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def reply(self, value, status=200):
            body = json.dumps(value).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/info":
                self.reply({"uri": f"sip:{args.user}@127.0.0.1:{phone.sip_port}"})
            elif self.path == "/events":
                with phone.cond:
                    self.reply(list(phone.events))
            elif self.path == "/log":
                self.reply({"log": open(os.path.join(phone.dir, "baresip.log")).read()})
            else:
                self.reply({"error": "not found"}, 404)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path == "/dial":
                self.reply(phone.command("dial", body["uri"]))
            elif self.path == "/digits":
                results = []
                for digit in body["digits"]:
                    results.append(phone.command("sndcode", digit))
                    time.sleep(body.get("gap_ms", 250) / 1000)
                self.reply({"ok": all(r.get("ok") for r in results), "results": results})
            elif self.path == "/hangup":
                self.reply(phone.command("hangup"))
            else:
                self.reply({"error": "not found"}, 404)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(json.dumps({"port": server.server_address[1], "sip_port": phone.sip_port}), flush=True)
    try:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read()  # the test ends the peer by closing stdin or terminating it
    finally:
        phone.stop()


if __name__ == "__main__":
    main()
