"""TFTP peer (tftpy): accepts uploads (WRQ) into --root."""
import argparse
import logging
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from peer_common import announce, exit_when_stdin_closes, free_port  # noqa: E402

import tftpy

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--root", required=True)
args = parser.parse_args()
logging.getLogger("tftpy").setLevel(logging.CRITICAL)

port = args.port or free_port(socket.SOCK_DGRAM)
server = tftpy.TftpServer(args.root)
thread = threading.Thread(target=server.listen, args=("127.0.0.1", port), daemon=True)
thread.start()
while getattr(server, "sock", None) is None:
    time.sleep(0.01)
exit_when_stdin_closes()
announce(port=port)
thread.join()
