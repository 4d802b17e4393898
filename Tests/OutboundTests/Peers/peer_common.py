"""Shared bits for the loopback peers the Outbound tests launch.

Every peer prints one JSON line on stdout once it is listening ({"port": N, ...}) and then serves
until its stdin closes or it is killed, so a crashed test run never leaves a server behind.
"""
import datetime
import ipaddress
import json
import os
import socket
import sys
import threading


def announce(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def exit_when_stdin_closes(on_line=None):
    """Exits when stdin closes; each line read before that goes to on_line (a peer's commands)."""
    def watch():
        try:
            for line in sys.stdin.buffer:
                if on_line:
                    on_line(line.decode().strip())
        finally:
            os._exit(0)
    threading.Thread(target=watch, daemon=True).start()


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(directory):
    """A certificate for localhost and 127.0.0.1; the tests pass cert.pem as the CA file."""
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    if os.path.exists(cert_path) and os.path.exists(key_path):
        return cert_path, key_path
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    os.makedirs(directory, exist_ok=True)
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path
