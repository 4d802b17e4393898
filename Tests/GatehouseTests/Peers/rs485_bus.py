"""An RS-485 multi-drop line between pseudo-terminals, at a real baud rate, for Gatehouse's OSDP tests.

A pseudo-terminal pair carries bytes instantly, whatever baud rate its ends are set to; a 9600 baud line takes
10/9600 s a byte (8N1) and is shared, half-duplex, by everything on it. This relays bytes between one control-panel
end and any number of reader ends the way such a line does: what the panel sends reaches every reader, what a
reader sends reaches the panel, one byte at a time at the given rate, never two at once.

    rs485_bus.py --baud 9600 --panel /tmp/x/cp --reader /tmp/x/pd1 --reader /tmp/x/pd2

Each path becomes a symlink to a pseudo-terminal to open as a serial port. Prints {"port": 0, "ready": true} once they exist (the first line the test harness waits for);
Ends when stdin closes.
"""

import argparse
import json
import os
import select
import sys
import threading
import time
import tty

parser = argparse.ArgumentParser()
parser.add_argument("--baud", type=int, default=9600)
parser.add_argument("--panel", required=True)
parser.add_argument("--reader", action="append", default=[])
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
byte_time = 10.0 / arguments.baud
line_free_at = 0.0


def carry(data, destinations):
    """Puts `data` on the line: it takes byte_time a byte, after whatever the line is carrying now, and is handed
    over once it has all arrived, as a UART's receive buffer would hold it."""
    global line_free_at
    start = max(time.monotonic(), line_free_at)
    line_free_at = start + len(data) * byte_time
    delay = line_free_at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    for destination in destinations:
        try:
            os.write(destination, data)
        except BlockingIOError:
            pass


def stop_on_stdin_close():
    sys.stdin.read()
    os._exit(0)


threading.Thread(target=stop_on_stdin_close, daemon=True).start()
print(json.dumps({"port": 0, "ready": True}), flush=True)
reader_masters = [master for master, _ in readers]
while True:
    ready, _, _ = select.select([panel] + reader_masters, [], [], 0.5)
    for fd in ready:
        try:
            data = os.read(fd, 256)
        except (BlockingIOError, OSError):
            continue
        if not data:
            continue
        if fd == panel:
            carry(data, reader_masters)
        else:
            carry(data, [panel])
