"""FTP / explicit FTPS peer (pyftpdlib) rooted at --root, one user with full write rights."""
import argparse
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from peer_common import announce, exit_when_stdin_closes, self_signed  # noqa: E402

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--root", required=True)
parser.add_argument("--user", default="camera")
parser.add_argument("--password", default="upload")
parser.add_argument("--tls-dir")
args = parser.parse_args()
logging.basicConfig(level=logging.CRITICAL)

authorizer = DummyAuthorizer()
authorizer.add_user(args.user, args.password, args.root, perm="elradfmwMT")
info = {}
if args.tls_dir:
    from pyftpdlib.handlers import TLS_FTPHandler
    cert, key = self_signed(args.tls_dir)
    handler = TLS_FTPHandler
    handler.certfile = cert
    handler.keyfile = key
    handler.tls_control_required = True
    handler.tls_data_required = True
    info["ca"] = cert
else:
    handler = FTPHandler
handler.authorizer = authorizer
handler.masquerade_address = None
server = FTPServer(("127.0.0.1", args.port), handler)
info["port"] = server.socket.getsockname()[1]
exit_when_stdin_closes()
announce(**info)
server.serve_forever()
