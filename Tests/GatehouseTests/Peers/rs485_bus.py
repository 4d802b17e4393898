"""An RS-485 multi-drop line between pseudo-terminals, at a real baud rate, for Gatehouse's OSDP tests.

A pseudo-terminal pair carries bytes instantly, whatever baud rate its ends are set to; a 9600 baud line takes
10/9600 s a byte (8N1) and is shared, half-duplex, by everything on it. This relays bytes between one control-panel
end and any number of reader ends the way such a line does: what the panel sends reaches every reader, what a
reader sends reaches the panel, one byte at a time at the given rate.

Two transmitters driving the line at once garble each other on a real RS-485 bus. Here, a transmission that starts
while another end's is still on the line is a collision: it is counted (--collisions FILE gets one line each) and
its bytes arrive inverted, so a panel that does not wait for a reader's answer before talking again fails as it
would on the wire instead of being saved by the emulator queueing the bytes.

    rs485_bus.py --baud 9600 --panel /tmp/x/cp --reader /tmp/x/pd1 --reader /tmp/x/pd2

Each path becomes a symlink to a pseudo-terminal to open as a serial port. Prints {"port": 0, "ready": true} once
they exist (the first line the test harness waits for); ends when stdin closes.
"""

import argparse
import json
import os
import queue
import select
import sys
import threading
import time
import tty

parser = argparse.ArgumentParser()
parser.add_argument("--baud", type=int, default=9600)
parser.add_argument("--panel", required=True)
parser.add_argument("--reader", action="append", default=[])
# Benchmarks: one line "<reader index> <wall-clock seconds>" per reader transmission, written as its last byte
# reaches the panel, so the panel's own share of a card read's latency can be told from the line's.
parser.add_argument("--trace")
# One line "<sender> <wall-clock seconds>" per collision (sender: "panel" or the reader's index).
parser.add_argument("--collisions")
arguments = parser.parse_args()


def endpoint(link):
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    name = os.ttyname(slave)
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(name, link)
    os.set_blocking(master, False)
    # The slave stays open here too, so the line survives its user closing and reopening it.
    return master, slave


panel, panel_slave = endpoint(arguments.panel)
readers = [endpoint(link) for link in arguments.reader]
reader_masters = [master for master, _ in readers]
byte_time = 10.0 / arguments.baud
trace = open(arguments.trace, "a", buffering=1) if arguments.trace else None
collisions = open(arguments.collisions, "a", buffering=1) if arguments.collisions else None
# What the ends wrote, with the instant it was read from them: a UART starts sending at once.
written = queue.Queue()


def listen():
    while True:
        ready, _, _ = select.select([panel] + reader_masters, [], [], 0.5)
        for fd in ready:
            try:
                data = os.read(fd, 256)
            except (BlockingIOError, OSError):
                continue
            if data:
                written.put((time.monotonic(), fd, data))


def stop_on_stdin_close():
    sys.stdin.read()
    os._exit(0)


threading.Thread(target=stop_on_stdin_close, daemon=True).start()
threading.Thread(target=listen, daemon=True).start()
print(json.dumps({"port": 0, "ready": True}), flush=True)

line_free_at = 0.0
line_driver = None
while True:
    arrived, fd, data = written.get()
    if arrived < line_free_at and fd != line_driver:
        # Another end is still transmitting: on a real line both would be garbage.
        if collisions:
            sender = "panel" if fd == panel else str(reader_masters.index(fd))
            collisions.write(f"{sender} {time.time():.6f}\n")
        data = bytes(byte ^ 0xFF for byte in data)
    start = max(arrived, line_free_at)
    line_free_at = start + len(data) * byte_time
    line_driver = fd
    delay = line_free_at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    delivered = time.time()
    for destination in (reader_masters if fd == panel else [panel]):
        try:
            os.write(destination, data)
        except BlockingIOError:
            pass
    if trace and fd != panel:
        trace.write(f"{reader_masters.index(fd)} {delivered:.6f}\n")
