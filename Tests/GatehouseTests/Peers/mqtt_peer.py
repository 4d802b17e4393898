"""A real MQTT client (paho-mqtt) for Gatehouse's end-to-end tests, controlled over loopback HTTP.

Connects to the broker given on the command line, subscribes to '#' (and '$SYS'-free), records every message it
receives, and publishes on request:

    GET  /_messages            -> [{"topic", "payload", "retain", "qos", "t"}], oldest first
    POST /_publish             <- {"topic", "payload", "retain"?, "qos"?}; returns once the broker has it
    POST /_clear               -> forgets what was recorded

Prints {"port": <http port>} on its first line once subscribed. Ends when stdin closes.
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import paho.mqtt.client as mqtt

parser = argparse.ArgumentParser()
parser.add_argument("--broker-port", type=int, required=True)
parser.add_argument("--username")
parser.add_argument("--password")
parser.add_argument("--cafile")
parser.add_argument("--subscribe", default="#")
parser.add_argument("--persistent", action="store_true", help="a persistent session: the broker queues for us while we are away")
arguments = parser.parse_args()

lock = threading.Lock()
messages = []
subscribed = threading.Event()

client = mqtt.Client(
    mqtt.CallbackAPIVersion.VERSION2, client_id="gatehouse-test-peer", clean_session=not arguments.persistent
)
if arguments.username:
    client.username_pw_set(arguments.username, arguments.password)
if arguments.cafile:
    client.tls_set(ca_certs=arguments.cafile)


def on_connect(client, userdata, flags, reason_code, properties):
    client.subscribe(arguments.subscribe, qos=1)


def on_subscribe(client, userdata, mid, reason_codes, properties):
    subscribed.set()


def on_message(client, userdata, message):
    with lock:
        messages.append(
            {
                "topic": message.topic,
                "payload": message.payload.decode("utf-8", "replace"),
                "retain": bool(message.retain),
                "qos": message.qos,
                "t": time.time(),
            }
        )


client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.connect("127.0.0.1", arguments.broker_port, keepalive=30)
client.loop_start()
if not subscribed.wait(20):
    print("mqtt_peer: could not subscribe", file=sys.stderr)
    sys.exit(1)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_messages":
            with lock:
                self.reply(200, list(messages))
        else:
            self.reply(404, {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/_publish":
            payload = body.get("payload", "")
            info = client.publish(
                body["topic"], payload.encode() if isinstance(payload, str) else payload,
                qos=body.get("qos", 1), retain=body.get("retain", False),
            )
            info.wait_for_publish(10)
            self.reply(200, {"ok": info.is_published()})
        elif self.path == "/_clear":
            with lock:
                messages.clear()
            self.reply(200, {})
        else:
            self.reply(404, {})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(json.dumps({"port": server.server_address[1]}), flush=True)
sys.stdin.read()
client.loop_stop()
