#!/usr/bin/env python3
"""Registers N PUSH devices (D00000...) with a running `gatehouse run` whose push.registration is `open`, so
wrk/push-mix.lua can drive the full host (PUSH server plus the site-journal sink) instead of push-load-server.

usage: register-fleet.py http://127.0.0.1:18088 [count=1000]
"""
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

base = sys.argv[1].rstrip("/")
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


def call(method, path, body=None):
    request = urllib.request.Request(base + path, data=body.encode() if body else None, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def register(n):
    serial = "D%05d" % n
    call("GET", "/iclock/cdata?SN=%s&options=all&pushver=3.1.2" % serial)
    status, _ = call("POST", "/iclock/registry?SN=%s" % serial, "DeviceType=acc,~DeviceName=Bench,LockCount=4")
    call("GET", "/iclock/cdata?SN=%s&options=all&pushver=3.1.2" % serial)
    return status


with ThreadPoolExecutor(16) as pool:
    statuses = list(pool.map(register, range(count)))
print("registered %d devices (%d answered 200)" % (count, statuses.count(200)))
