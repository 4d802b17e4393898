"""A real browser (Debian's Chromium, driven by Playwright) for Gatehouse's web-console tests, controlled over
loopback HTTP so the Swift test decides what happens and asserts what the page shows.

Every request is one POST with a JSON body and answers JSON; Playwright's sync API is single-threaded, so the
server handles one request at a time on the main thread.

    POST /open         {"url"}                      -> {"first_contentful_paint_ms", "dom_content_loaded_ms"}
    POST /goto         {"url"}                      -> {"status", "url"}
    POST /fill         {"selector", "value"}        -> {}
    POST /click        {"selector", "times"?}       -> {}      times > 1: clicks as fast as a double click
    POST /check        {"selector", "checked"}      -> {}
    POST /select       {"selector", "value"}        -> {}
    POST /files        {"selector", "path"}         -> {}
    POST /wait_text    {"selector", "contains", "timeout_ms"?} -> {"text", "ms"} or 408 {"text"} when it never did
    POST /wait_gone    {"selector", "timeout_ms"?}  -> {"ms"} or 408
    POST /text         {"selector"}                 -> {"text", "count"}
    POST /eval         {"script"}                   -> {"value"}  (an async function body, its return value)
    POST /requests     {"clear"?}                   -> {"requests": [{"method", "url", "last_event_id"}]}  what the page sent
    POST /cookies      {}                           -> {"cookies": [...]}
    POST /dialogs      {}                           -> {"dialogs": [text]}  confirm()/alert() texts (all accepted)
    POST /console      {}                           -> {"messages": [text]}  console and page errors
    POST /screenshot   {"path", "full_page"?}       -> {}

Prints {"port": <http port>} on its first line once the browser runs. Ends when stdin closes.
"""

import json
import sys
import threading
import time
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from playwright.sync_api import sync_playwright, TimeoutError as PlaywrightTimeout

CHROMIUM = os.environ.get("GATEHOUSE_CHROMIUM", "/usr/bin/chromium")

playwright = sync_playwright().start()
browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
context = browser.new_context(viewport={"width": 1280, "height": 900})
page = context.new_page()
requests = []
dialogs = []
messages = []


def on_request(request):
    if request.resource_type in ("fetch", "xhr", "document", "eventsource"):
        requests.append(request)


def on_dialog(dialog):
    dialogs.append(dialog.message)
    dialog.accept()


page.on("request", on_request)
page.on("dialog", on_dialog)
page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))


def step_open(body):
    page.goto(body["url"], wait_until="load")
    # The paint entry is recorded once the frame is presented, which can be after "load".
    try:
        page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0", timeout=5000)
    except PlaywrightTimeout:
        pass
    timing = page.evaluate(
        """() => {
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            const navigation = performance.getEntriesByType('navigation')[0];
            return { fcp: paint ? paint.startTime : null, dcl: navigation ? navigation.domContentLoadedEventEnd : null };
        }"""
    )
    return {"first_contentful_paint_ms": timing["fcp"], "dom_content_loaded_ms": timing["dcl"]}


def step_goto(body):
    response = page.goto(body["url"], wait_until="load")
    return {"status": response.status if response else None, "url": page.url}


def step_fill(body):
    page.fill(body["selector"], body["value"])
    return {}


def step_click(body):
    times = int(body.get("times", 1))
    if times == 1:
        page.click(body["selector"])
    else:
        # As fast as a user's double click: the clicks are dispatched without waiting for anything in between.
        page.locator(body["selector"]).first.evaluate(
            "(node, times) => { for (let i = 0; i < times; i++) node.click(); }", times
        )
    return {}


def step_check(body):
    page.set_checked(body["selector"], bool(body["checked"]))
    return {}


def step_select(body):
    page.select_option(body["selector"], body["value"])
    return {}


def step_files(body):
    page.set_input_files(body["selector"], body["path"])
    return {}


def step_wait_text(body):
    started = time.monotonic()
    timeout = int(body.get("timeout_ms", 10000))
    try:
        page.wait_for_function(
            """([selector, text]) => Array.from(document.querySelectorAll(selector)).some((node) =>
                   node.offsetParent !== null && node.textContent.includes(text))""",
            arg=[body["selector"], body["contains"]],
            timeout=timeout,
            polling="raf",
        )
    except PlaywrightTimeout:
        return 408, {"text": texts(body["selector"])}
    return {"text": texts(body["selector"]), "ms": (time.monotonic() - started) * 1000}


def step_wait_gone(body):
    started = time.monotonic()
    try:
        page.wait_for_selector(body["selector"], state="detached", timeout=int(body.get("timeout_ms", 10000)))
    except PlaywrightTimeout:
        return 408, {}
    return {"ms": (time.monotonic() - started) * 1000}


def texts(selector):
    return " | ".join(node.text_content() or "" for node in page.query_selector_all(selector))


def step_text(body):
    return {"text": texts(body["selector"]), "count": len(page.query_selector_all(body["selector"]))}


def step_eval(body):
    return {"value": page.evaluate(f"async () => {{ {body['script']} }}")}


def step_requests(body):
    # all_headers() has what went on the wire (EventSource adds Last-Event-ID below the page); asked for here, on
    # the main thread, not in the event callback.
    answer = {"requests": []}
    for request in requests:
        try:
            last_event_id = request.all_headers().get("last-event-id")
        except Exception:
            last_event_id = request.headers.get("last-event-id")
        answer["requests"].append({"method": request.method, "url": request.url, "last_event_id": last_event_id})
    if body.get("clear"):
        requests.clear()
    return answer


def step_cookies(body):
    return {"cookies": context.cookies()}


def step_dialogs(body):
    return {"dialogs": list(dialogs)}


def step_console(body):
    return {"messages": list(messages)}


def step_screenshot(body):
    page.screenshot(path=body["path"], full_page=bool(body.get("full_page", False)))
    return {}


steps = {name[5:]: function for name, function in globals().items() if name.startswith("step_")}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        step = steps.get(self.path.strip("/"))
        if step is None:
            return self.answer(404, {"error": f"no step {self.path}"})
        try:
            result = step(body)
        except Exception as error:  # the test sees what went wrong in the browser, not a hung request
            return self.answer(500, {"error": f"{type(error).__name__}: {error}"})
        if isinstance(result, tuple):
            return self.answer(*result)
        self.answer(200, result)

    def answer(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
server.timeout = 0.2


stopping = threading.Event()


def watch_stdin():
    sys.stdin.read()
    stopping.set()


threading.Thread(target=watch_stdin, daemon=True).start()
print(json.dumps({"port": server.server_address[1]}), flush=True)
while not stopping.is_set():
    server.handle_request()
browser.close()
playwright.stop()
