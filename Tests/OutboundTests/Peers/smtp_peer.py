"""SMTP peer (aiosmtpd): stores each message as <n>.eml in --spool; --tls-dir requires STARTTLS,
and with --implicit-tls speaks TLS from the first byte (SMTPS) instead."""
import argparse
import json
import os
import ssl
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))
from peer_common import announce, exit_when_stdin_closes, free_port, self_signed  # noqa: E402

from aiosmtpd.controller import Controller

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--spool", required=True)
parser.add_argument("--tls-dir")
parser.add_argument("--implicit-tls", action="store_true")
args = parser.parse_args()
counter = [0]
lock = threading.Lock()


class Spool:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            counter[0] += 1
            n = counter[0]
        base = os.path.join(args.spool, f"{n}")
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "tls": session.ssl is not None or args.implicit_tls}, f)
        return "250 Message accepted for delivery"


port = args.port or free_port()
kwargs = {}
info = {"port": port}
if args.tls_dir:
    cert, key = self_signed(args.tls_dir)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    kwargs = {"ssl_context": context} if args.implicit_tls else {"tls_context": context, "require_starttls": True}
    info["ca"] = cert
controller = Controller(Spool(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
exit_when_stdin_closes()
announce(**info)
threading.Event().wait()
