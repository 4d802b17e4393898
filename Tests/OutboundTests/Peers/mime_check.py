"""Parses an .eml with Python's own e-mail parser (an independent check of our MIME) and prints JSON."""
import email
import email.policy
import hashlib
import json
import sys

message = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
parts = []
for part in message.walk():
    if part.is_multipart():
        continue
    payload = part.get_payload(decode=True) or b""
    parts.append({
        "type": part.get_content_type(),
        "filename": part.get_filename(),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "text": payload.decode("utf-8", "replace") if part.get_content_maintype() == "text" else None,
    })
print(json.dumps({
    "subject": str(message["subject"]),
    "from": str(message["from"]),
    "to": str(message["to"]),
    "multipart": message.is_multipart(),
    "defects": [type(d).__name__ for d in message.defects],
    "parts": parts,
}))
