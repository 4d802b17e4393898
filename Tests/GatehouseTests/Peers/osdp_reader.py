"""An OSDP reader (peripheral device) for Gatehouse's hardware tests: libosdp's own Python bindings (PyPI
`libosdp`), acting as the PD on one end of a pseudo-terminal pair (socat), controlled over loopback HTTP.

    POST /card      {"bits": 26, "hex": "…"}     a card read (raw Wiegand bits, left-justified in the bytes);
                                                 answers {"queued", "t"}: t is when it was handed to libosdp
    POST /keys      {"keys": "1234#"}            keypad presses ('#' is sent as 0x0D, '*' as 0x7F)
    POST /tamper    {"on": true}                 a local status report: tamper switch
    POST /stop, /start                           stops answering the panel (offline), answers again
    POST /garbage   {"hex": "…"}                 writes raw bytes on the line, as a noisy bus would
    GET  /commands                               -> [{"command", "t", …}] what the panel told this reader, oldest first
    GET  /state                                  -> {"online", "secure"}

Prints {"port": <http port>} once serving. Ends when stdin closes.
"""

import argparse
import json
import os
import sys
import termios
import threading
import time
import tty
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import osdp

parser = argparse.ArgumentParser()
parser.add_argument("--device", required=True)
parser.add_argument("--address", type=int, default=0)
parser.add_argument("--scbk", help="32 hex digits: the PD's Secure Channel Base Key")
parser.add_argument("--install-mode", action="store_true", help="the PD has no key yet (SCBK-D)")
arguments = parser.parse_args()


class SerialChannel(osdp.Channel):
    def __init__(self, path):
        super().__init__()
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        tty.setraw(self.fd)
        self.lock = threading.Lock()

    def read(self, max_bytes):
        try:
            return os.read(self.fd, max_bytes)
        except BlockingIOError:
            return b""

    def write(self, buf):
        with self.lock:
            return os.write(self.fd, bytes(buf))

    def flush(self):
        termios.tcflush(self.fd, termios.TCIOFLUSH)


channel = SerialChannel(arguments.device)
flags = [osdp.LibFlag.InstallMode] if arguments.install_mode else ([osdp.LibFlag.EnforceSecure] if arguments.scbk else [])
info = osdp.PDInfo(
    arguments.address, channel, scbk=bytes.fromhex(arguments.scbk) if arguments.scbk and not arguments.install_mode else None,
    flags=flags, name=f"test-reader-{arguments.address}")
capabilities = osdp.PDCapabilities([
    (osdp.Capability.OutputControl, 1, 2),
    (osdp.Capability.LEDControl, 1, 1),
    (osdp.Capability.AudibleControl, 1, 1),
    (osdp.Capability.CardDataFormat, 1, 1),
    (osdp.Capability.CommunicationSecurity, 1, 1),
])
lock = threading.Lock()
commands = []


def on_command(command):
    with lock:
        entry = {"t": time.time()}
        for key, value in command.items():
            entry[key] = value.hex() if isinstance(value, (bytes, bytearray)) else value
        commands.append(entry)
    return 0, None


# The bindings' own loop refreshes the PD every 20 ms, so it answers a poll up to 20 ms late; a reader's firmware
# answers within a couple of milliseconds. This loop keeps libosdp's PD state machine as it is and refreshes it
# every millisecond, so timings measured against this reader are the panel's and the line's, not the peer's.
def fast_refresh(event, lock, ctx):
    while not event.is_set():
        with lock:
            ctx.refresh()
        time.sleep(0.001)


osdp.PeripheralDevice.refresh = staticmethod(fast_refresh)
pd = osdp.PeripheralDevice(info, capabilities, log_level=osdp.LogLevel.Warning, command_handler=on_command)
pd.start()
running = True


def submit(event):
    submitted = time.time()
    result = pd.submit_event(event)
    return {"queued": result in (True, 0, None), "t": submitted}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/commands":
            with lock:
                return self.reply(200, list(commands))
        if self.path == "/state":
            return self.reply(200, {"online": bool(pd.is_online()), "secure": bool(pd.is_sc_active()), "running": running})
        self.reply(404, {"error": self.path})

    def do_POST(self):
        global running
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/card":
            data = bytes.fromhex(body["hex"])
            return self.reply(200, submit({
                "event": osdp.Event.CardRead, "reader_no": 0, "direction": 0, "format": osdp.CardFormat.Wiegand,
                "length": int(body["bits"]), "data": data}))
        if self.path == "/keys":
            keys = body["keys"].replace("#", "\r").replace("*", "\x7f").encode()
            return self.reply(200, submit({"event": osdp.Event.KeyPress, "reader_no": 0, "data": keys}))
        if self.path == "/tamper":
            report = bytes([1 if body.get("on") else 0, 0])
            return self.reply(200, submit({
                "event": osdp.Event.Status, "type": osdp.StatusReportType.Local, "nr_entries": 2, "report": report}))
        if self.path == "/stop":
            if running:
                pd.stop()
                running = False
            return self.reply(200, {})
        if self.path == "/start":
            if not running:
                pd.start()
                running = True
            return self.reply(200, {})
        if self.path == "/garbage":
            channel.write(bytes.fromhex(body["hex"]))
            return self.reply(200, {})
        self.reply(404, {"error": self.path})

    def reply(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(json.dumps({"port": server.server_address[1]}), flush=True)
sys.stdin.read()
if running:
    pd.stop()
os._exit(0)
