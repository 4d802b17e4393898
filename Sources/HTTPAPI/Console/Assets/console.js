// Gatehouse web console: plain JavaScript over the host's REST API (/api/v1) and its event stream.
// Signed in with a session cookie made from an admin token (HttpOnly, so this script never holds the token);
// every state-changing call carries the session's CSRF token.
"use strict";

const state = {
  csrf: null,
  doors: new Map(), relays: new Map(), inputs: new Map(),
  journal: [],            // loaded entries, oldest first
  newest: 0,              // the newest journal index seen (the stream resumes after it)
  oldest: null,           // the oldest index loaded (paging back goes below it)
  stream: null,
  users: [], usersCursor: null, editing: null,
  metricsSample: null,
  timers: [],
};

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-") || key === "type" || key === "title" || key === "colspan") node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

class APIError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body, { raw = false, contentType } = {}) {
  const headers = {};
  let payload = body;
  if (body !== undefined && contentType === undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  } else if (contentType) {
    headers["Content-Type"] = contentType;
  }
  if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch(path, { method, headers, body: payload, credentials: "same-origin", cache: "no-store" });
  if (raw && response.ok) return response;
  const text = await response.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch { data = { message: text }; } }
  if (response.status === 401 && path !== "/console/session") signedOut("Your session has ended; sign in again.");
  if (!response.ok) throw new APIError(response.status, data);
  return data;
}

// A button or form that is busy sends nothing more until its request is answered: no double submissions.
async function once(control, work) {
  if (control.dataset.busy === "1") return;
  control.dataset.busy = "1";
  const buttons = control.tagName === "FORM" ? $$("button", control) : [control];
  buttons.forEach((button) => { button.disabled = true; });
  try { return await work(); } finally {
    delete control.dataset.busy;
    buttons.forEach((button) => { button.disabled = false; });
  }
}

function showResult(target, text, ok) {
  target.textContent = text;
  target.className = "result " + (ok ? "ok" : "error");
}

// Shows an API error next to the field it names (`field`), else on the form.
function showFormError(form, error) {
  $$(".field-error, .form-error", form).forEach((node) => { node.textContent = ""; });
  if (!error) return;
  const field = (error.body && error.body.field) || "";
  const root = field.split(/[.\[]/)[0];
  const own = $(`.field-error[data-field="${CSS.escape(root)}"]`, form);
  // Next to its field; on the form, with the field named, when the form has no place for it.
  (own || $(".form-error", form)).textContent = error.message + (field && !own ? ` (${field})` : "");
}

// MARK: Sign-in

async function start() {
  $("#sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    once(form, async () => {
      showFormError(form, null);
      try {
        const session = await api("POST", "/console/session", { token: $("#token").value });
        $("#token").value = "";
        signedIn(session);
      } catch (error) { showFormError(form, error); }
    });
  });
  $("#sign-out").addEventListener("click", (event) => once(event.currentTarget, async () => {
    try { await api("DELETE", "/console/session"); } catch { /* signed out either way */ }
    signedOut("");
  }));
  try { signedIn(await api("GET", "/console/session")); } catch { signedOut(""); }
}

function signedIn(session) {
  state.csrf = session.csrf_token;
  $("#who").textContent = `signed in as ${session.name}`;
  $("#sign-out").hidden = false;
  $("#sign-in").hidden = true;
  $("#app").hidden = false;
  setUpApp();
}

function signedOut(message) {
  state.csrf = null;
  if (state.stream) { state.stream.close(); state.stream = null; }
  state.timers.forEach(clearInterval);
  state.timers = [];
  $("#app").hidden = true;
  $("#sign-in").hidden = false;
  $("#sign-out").hidden = true;
  $("#who").textContent = "";
  setConnection("signed out", "muted");
  const slot = $('#sign-in-form .field-error[data-field="token"]');
  if (message) slot.textContent = message;
}

function setConnection(text, kind) {
  const badge = $("#connection");
  badge.textContent = text;
  badge.className = "badge " + kind;
}

let appReady = false;
function setUpApp() {
  if (!appReady) {
    appReady = true;
    for (const link of $$("nav a")) link.addEventListener("click", () => showTab(link.dataset.tab));
    window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));
    wireLive(); wireJournal(); wireUsers(); wireScripts(); wireDevices();
  }
  showTab(location.hash.slice(1) || "live");
  loadLive().then(openStream);
  state.timers.push(setInterval(refreshHealth, 10000));
  refreshHealth();
}

const loaders = {
  live: () => {}, journal: () => renderJournal(), users: () => loadUsers(true), scripts: () => loadScripts(),
  devices: () => loadDevices(), health: () => refreshHealth(),
};

function showTab(name) {
  if (!loaders[name]) name = "live";
  for (const section of $$(".tab")) section.hidden = section.id !== `tab-${name}`;
  for (const link of $$("nav a")) link.classList.toggle("active", link.dataset.tab === name);
  loaders[name]();
}

// MARK: Live view

const doorActions = [
  ["open", "Open"], ["close", "Close"], ["lock", "Lock"], ["unlock", "Unlock"],
  ["normal-open", "Normal open"], ["clear-alarm", "Clear alarm"],
];

function wireLive() {
  $("#doors").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const { door, action } = button.dataset;
    once(button, async () => {
      const result = $("#action-result");
      try {
        const answer = await api("POST", `/api/v1/doors/${door}/${action}`);
        if (answer && answer.locked !== undefined && answer.id !== undefined) mergeDoor(answer);
        showResult(result, `Door ${door}: ${action} done` + (answer && answer.event_name ? ` (${answer.event_name})` : ""), true);
      } catch (error) { showResult(result, `Door ${door}: ${action} refused: ${error.message}`, false); }
    });
  });
  $("#buttons").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-press]");
    if (!button) return;
    once(button, async () => {
      const result = $("#action-result");
      try {
        const answer = await api("POST", `/api/v1/buttons/${button.dataset.press}/press`);
        showResult(result, `Button ${button.dataset.press}: ${answer.granted ? "pressed" : "refused"}` +
          (answer.reason ? ` (${answer.reason})` : ""), answer.granted !== false);
      } catch (error) { showResult(result, `Button ${button.dataset.press}: ${error.message}`, false); }
    });
  });
}

async function loadLive() {
  const [doors, relays, inputs] = await Promise.all([
    api("GET", "/api/v1/doors?limit=1000"), api("GET", "/api/v1/relays?limit=1000"), api("GET", "/api/v1/inputs?limit=1000"),
  ]);
  state.doors = new Map(doors.doors.map((door) => [door.id, door]));
  state.relays = new Map(relays.relays.map((relay) => [relay.id, relay]));
  state.inputs = new Map(inputs.inputs.map((input) => [input.id, input]));
  renderDoors(); renderRelays(); renderInputs(); renderButtons();
  const select = $('#journal-filters select[name="door"]');
  select.replaceChildren(el("option", { value: "", text: "any" }),
    ...[...state.doors.values()].map((door) => el("option", { value: String(door.id), text: `${door.id} ${door.name || ""}` })));
  if (state.journal.length === 0) {
    const page = await api("GET", "/api/v1/events?before=0&limit=100");
    state.journal = page.events;
    state.oldest = page.events.length ? page.events[0].index : null;
    state.newest = page.events.length ? page.events[page.events.length - 1].index : 0;
    renderLatest(); renderJournal();
  }
}

function mergeDoor(door) {
  const known = state.doors.get(door.id) || {};
  state.doors.set(door.id, { ...known, ...door });
  renderDoors();
}

function renderDoors() {
  const cards = [...state.doors.values()].map((door) => {
    const relay = state.relays.get(door.relay);
    const relayActive = relay ? relay.active : door.relay_active;
    return el("div", { class: "card", "data-door": String(door.id), "data-testid": `door-${door.id}` },
      el("h3", {}, `${door.id} · ${door.name || "Door " + door.id}`,
        el("span", { class: `badge ${door.state}`, "data-testid": `door-${door.id}-state`, text: (door.state || "").replace("_", " ") })),
      el("div", { class: "levels" },
        `strike ${relayActive ? "energised" : "released"} · sensor ${door.sensor_open ? "open" : "closed"}` +
        (door.locked ? " · locked" : "")),
      el("div", { class: "row" }, ...doorActions.map(([action, label]) =>
        el("button", { type: "button", "data-door": String(door.id), "data-action": action, text: label }))));
  });
  $("#doors").replaceChildren(...(cards.length ? cards : [el("p", { text: "No doors are configured." })]));
}

function renderRelays() {
  $("#relays tbody").replaceChildren(...[...state.relays.values()].map((relay) =>
    el("tr", { "data-testid": `relay-${relay.id}` }, el("td", { text: relay.id }), el("td", { text: relay.name || "" }),
      el("td", {}, el("span", { class: `badge ${relay.active ? "open" : "closed"}`, text: relay.active ? "on" : "off" })))));
}

function renderInputs() {
  $("#inputs tbody").replaceChildren(...[...state.inputs.values()].map((input) =>
    el("tr", { "data-testid": `input-${input.id}` }, el("td", { text: input.id }), el("td", { text: input.name || "" }),
      el("td", { text: input.role + (input.door ? ` (door ${input.door})` : "") }),
      el("td", {}, el("span", { class: `badge ${input.active ? "open" : "closed"}`, text: input.active ? "active" : "idle" })))));
}

function renderButtons() {
  const exits = [...state.doors.values()].map((door) =>
    el("button", { type: "button", "data-press": String(door.id), text: `Exit button, door ${door.id}` }));
  $("#buttons").replaceChildren(el("button", { type: "button", "data-press": "reception", text: "Reception button" }), ...exits);
}

// MARK: Event stream

function openStream() {
  if (state.stream) state.stream.close();
  // The first connection resumes after what the page loaded; EventSource's own reconnects send Last-Event-ID.
  const source = new EventSource(`/api/v1/events/stream?state=1&after=${state.newest}`);
  state.stream = source;
  source.addEventListener("open", () => setConnection("live", "live"));
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) {
      setConnection("reconnecting", "reconnecting");
      // Closed for good (the host restarted or refused): check the session, then open a new stream.
      setTimeout(async () => {
        if (state.stream !== source || !state.csrf) return;
        try { await api("GET", "/console/session"); openStream(); } catch { /* signedOut handled it */ }
      }, 2000);
    } else {
      setConnection("reconnecting", "reconnecting");
    }
  });
  source.addEventListener("journal", (message) => onJournal(JSON.parse(message.data)));
  source.addEventListener("door", (message) => {
    const change = JSON.parse(message.data);
    const door = state.doors.get(change.id);
    if (!door) return;
    door.state = change.state;
    if (change.change === "opened") door.sensor_open = true;
    if (change.change === "closed") door.sensor_open = false;
    if (change.change === "locked") door.locked = true;
    if (change.change === "unlocked") door.locked = false;
    scheduleRender(renderDoors);
  });
  source.addEventListener("relay", (message) => {
    const change = JSON.parse(message.data);
    const relay = state.relays.get(change.id);
    if (relay) relay.active = change.active;
    for (const door of state.doors.values()) if (door.relay === change.id) door.relay_active = change.active;
    scheduleRender(renderRelays); scheduleRender(renderDoors);
  });
  source.addEventListener("input", (message) => {
    const change = JSON.parse(message.data);
    const input = state.inputs.get(change.id);
    if (input) input.active = change.active;
    scheduleRender(renderInputs);
  });
}

// Renders at most once per animation frame, however many events arrive: 100 events a second stay cheap.
const pendingRenders = new Set();
function scheduleRender(render) {
  if (pendingRenders.has(render)) return;
  pendingRenders.add(render);
  if (pendingRenders.size === 1) requestAnimationFrame(() => {
    const renders = [...pendingRenders];
    pendingRenders.clear();
    renders.forEach((fn) => fn());
  });
}

const journalLimit = 5000;
let unrenderedLatest = [];
function onJournal(entry) {
  if (entry.index <= state.newest) return;
  state.newest = entry.index;
  state.journal.push(entry);
  if (state.oldest === null) state.oldest = entry.index;
  if (state.journal.length > journalLimit) {
    state.journal.splice(0, state.journal.length - journalLimit);
    state.oldest = state.journal[0].index;
  }
  unrenderedLatest.push(entry);
  scheduleRender(renderLatestIncrement);
  if (!$("#tab-journal").hidden) scheduleRender(renderJournal);
}

function journalRow(entry, fresh) {
  const cls = [entry.event_class ? `cls-${entry.event_class}` : "", entry.event === 0 ? "granted" : "", fresh ? "fresh" : ""].join(" ");
  return el("tr", { class: cls, "data-index": String(entry.index) },
    el("td", { text: entry.index }), el("td", { text: entry.local_time || entry.time }),
    el("td", { text: entry.event_name || (entry.event === 1000 ? "site event" : String(entry.event)) }), el("td", { text: entry.door ?? "" }),
    el("td", { text: entry.pin ?? "" }), el("td", { text: entry.card ?? "" }), el("td", { text: entry.source || "" }),
    el("td", { text: entry.detail ?? "" }));
}

function renderLatest() {
  const rows = state.journal.slice(-50).reverse().map((entry) => journalRow(entry, false));
  $("#latest tbody").replaceChildren(...rows);
  unrenderedLatest = [];
}

function renderLatestIncrement() {
  const body = $("#latest tbody");
  const fresh = unrenderedLatest.slice(-50);
  unrenderedLatest = [];
  for (const entry of fresh) body.prepend(journalRow(entry, true));
  while (body.rows.length > 50) body.deleteRow(body.rows.length - 1);
}

// MARK: Journal

function wireJournal() {
  $("#journal-filters").addEventListener("input", () => renderJournal());
  $("#journal-older").addEventListener("click", (event) => once(event.currentTarget, loadOlder));
}

function journalFilter() {
  const form = $("#journal-filters");
  const door = form.door.value, user = form.user.value.trim(), cls = form.class.value;
  const from = form.from.value ? new Date(form.from.value).getTime() : null;
  const to = form.to.value ? new Date(form.to.value).getTime() : null;
  return (entry) => {
    if (door && String(entry.door) !== door) return false;
    if (user && entry.pin !== user) return false;
    if (cls && entry.event_class !== cls) return false;
    const time = Date.parse(entry.time);
    if (from !== null && time < from) return false;
    if (to !== null && time > to) return false;
    return true;
  };
}

function renderJournal() {
  const matches = state.journal.filter(journalFilter());
  const shown = matches.slice(-500).reverse();
  $("#journal tbody").replaceChildren(...shown.map((entry) => journalRow(entry, false)));
  $("#journal-count").textContent = `${matches.length} of ${state.journal.length} loaded entries match` +
    (state.oldest > 1 ? "" : " (all history loaded)");
  $("#journal-older").disabled = !(state.oldest > 1);
}

// Pages back until 50 more entries match the filter, or the start of the journal (at most 10 pages per click).
async function loadOlder() {
  const matches = journalFilter();
  let found = 0;
  for (let page = 0; page < 10 && state.oldest > 1 && found < 50; page++) {
    const older = await api("GET", `/api/v1/events?before=${state.oldest}&limit=500`);
    if (older.events.length === 0) { state.oldest = 1; break; }
    state.journal = older.events.concat(state.journal);
    state.oldest = older.events[0].index;
    found += older.events.filter(matches).length;
  }
  renderJournal();
}

// MARK: Users

function wireUsers() {
  let searchTimer = null;
  $("#user-search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(renderUsers, 120);
  });
  $("#user-new").addEventListener("click", () => editUser(null));
  $("#user-cancel").addEventListener("click", () => { $("#user-form").hidden = true; });
  $("#users-more").addEventListener("click", (event) => once(event.currentTarget, () => loadUsers(false)));
  $("#user-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    once(form, () => saveUser(form));
  });
  $("#users").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-user]");
    if (!button) return;
    const user = state.users.find((candidate) => candidate.pin === button.dataset.user);
    if (button.dataset.op === "edit") editUser(user);
    if (button.dataset.op === "delete") {
      if (!confirm(`Delete user ${user.pin} (${user.name || "no name"})?`)) return;
      once(button, async () => {
        try {
          await api("DELETE", `/api/v1/users/${encodeURIComponent(user.pin)}`);
          state.users = state.users.filter((candidate) => candidate.pin !== user.pin);
          renderUsers();
        } catch (error) { alert(`Cannot delete ${user.pin}: ${error.message}`); }
      });
    }
  });
  $("#import-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    once(form, () => importUsers(form));
  });
  $("#export").addEventListener("click", (event) => once(event.currentTarget, exportUsers));
}

async function loadUsers(fresh) {
  if (fresh) { state.users = []; state.usersCursor = null; }
  const cursor = state.usersCursor ? `&cursor=${encodeURIComponent(state.usersCursor)}` : "";
  const page = await api("GET", `/api/v1/users?limit=500${cursor}`);
  state.users = state.users.concat(page.users);
  state.usersCursor = page.next_cursor;
  $("#users-more").hidden = !page.next_cursor;
  renderUsers();
}

function renderUsers() {
  const query = $("#user-search").value.trim().toLowerCase();
  const matches = state.users.filter((user) => !query || user.pin.toLowerCase().includes(query) ||
    (user.name || "").toLowerCase().includes(query) || user.cards.some((card) => (card.number || "").includes(query)));
  $("#users tbody").replaceChildren(...matches.map((user) => el("tr", { "data-user": user.pin },
    el("td", { text: user.pin }), el("td", { text: user.name }),
    el("td", { text: user.cards.map((card) => card.number || card.hex).join(", ") }),
    el("td", { text: user.authorizations.map((grant) => `${grant.doors.join(",")} @ tz ${grant.timezone}`).join("; ") }),
    el("td", { text: user.valid_until ? user.valid_until.replace("T", " ").replace("Z", "") : "" }),
    el("td", { text: user.disabled ? "disabled" : "active" }),
    el("td", {}, el("button", { type: "button", "data-user": user.pin, "data-op": "edit", text: "Edit" }), " ",
      el("button", { type: "button", class: "danger", "data-user": user.pin, "data-op": "delete", text: "Delete" })))));
}

function toLocalInput(rfc3339) {
  if (!rfc3339) return "";
  const date = new Date(rfc3339);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function editUser(user) {
  const form = $("#user-form");
  state.editing = user;
  form.reset();
  showFormError(form, null);
  $("#user-form-title").textContent = user ? `Edit user ${user.pin}` : "New user";
  form.pin.readOnly = !!user;
  if (user) {
    form.pin.value = user.pin;
    form.name.value = user.name || "";
    form.cards.value = user.cards.map((card) => card.number).filter(Boolean).join(", ");
    form.pin_code.value = user.pin_code || "";
    const grant = user.authorizations[0];
    form.timezone.value = grant ? grant.timezone : 1;
    form.doors.value = grant ? grant.doors.join(", ") : "";
    form.valid_from.value = toLocalInput(user.valid_from);
    form.valid_until.value = toLocalInput(user.valid_until);
    form.disabled.checked = !!user.disabled;
  }
  form.hidden = false;
  form.pin.focus();
}

function list(text) { return text.split(",").map((item) => item.trim()).filter(Boolean); }

async function saveUser(form) {
  showFormError(form, null);
  const doors = list(form.doors.value).map(Number);
  if (doors.some((door) => !Number.isInteger(door) || door < 1)) {
    $('.field-error[data-field="authorizations"]', form).textContent = "doors: whole door numbers, comma separated";
    return;
  }
  const body = {
    ...(state.editing || {}),
    pin: form.pin.value.trim(),
    name: form.name.value,
    cards: list(form.cards.value).map((number) => {
      const known = state.editing && state.editing.cards.find((card) => card.number === number);
      return known || { number };
    }),
    pin_code: form.pin_code.value.trim() || null,
    valid_from: form.valid_from.value ? new Date(form.valid_from.value).toISOString().replace(/\.\d{3}Z$/, "Z") : null,
    valid_until: form.valid_until.value ? new Date(form.valid_until.value).toISOString().replace(/\.\d{3}Z$/, "Z") : null,
    disabled: form.disabled.checked,
    authorizations: doors.length ? [{ timezone: Number(form.timezone.value || 1), doors }] : [],
  };
  const editing = state.editing;
  try {
    if (editing) await api("PUT", `/api/v1/users/${encodeURIComponent(editing.pin)}`, body);
    else await api("POST", "/api/v1/users", body);
    form.hidden = true;
    await loadUsers(true);
  } catch (error) { showFormError(form, error); }
}

async function importUsers(form) {
  const result = $("#import-result");
  const table = $("#import-errors");
  table.hidden = true;
  const file = $("#import-file").files[0];
  if (!file) { showResult(result, "Choose a file to import.", false); return; }
  const format = $("#transfer-format").value;
  try {
    const answer = await api("POST", `/api/v1/users/import?format=${format}`, await file.arrayBuffer(),
      { contentType: file.type || "application/octet-stream" });
    showResult(result, `Imported: ${answer.created} created, ${answer.updated} updated, ${answer.schedules} schedules.`, true);
    loadUsers(true);
  } catch (error) {
    showResult(result, error.message, false);
    const rows = (error.body && error.body.rows) || [];
    $("tbody", table).replaceChildren(...rows.map((row) =>
      el("tr", {}, el("td", { text: row.row }), el("td", { text: row.field || "" }), el("td", { text: row.message }))));
    table.hidden = rows.length === 0;
  }
}

async function exportUsers() {
  const format = $("#transfer-format").value;
  const result = $("#import-result");
  try {
    const response = await api("GET", `/api/v1/users/export?format=${format}`, undefined, { raw: true });
    const name = (/filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "") || [])[1] || `users.${format}`;
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    showResult(result, `Exported ${name}.`, true);
  } catch (error) { showResult(result, error.message, false); }
}

// MARK: Scripts

function wireScripts() {
  $("#script-reload").addEventListener("click", (event) => once(event.currentTarget, async () => {
    const result = $("#reload-result");
    try {
      const status = await api("POST", "/api/v1/scripts/reload");
      renderScriptStatus(status);
      showResult(result, `Reloaded: version ${status.version}`, true);
    } catch (error) {
      if (error.body && error.body.version !== undefined) renderScriptStatus(error.body);
      showResult(result, `Reload failed: ${(error.body && error.body.error) || error.message}`, false);
    }
    loadScriptLog();
  }));
}

function renderScriptStatus(status) {
  const facts = [
    ["State", el("span", { class: `badge ${status.ok ? "ok" : "error"}`, "data-testid": "script-state", text: status.ok ? "ok" : "failed" })],
    ["Version", el("code", { text: status.version || "" })],
    ["Error", el("code", { "data-testid": "script-error", text: status.error || "none" })],
    ["Disabled handlers", status.disabled_handlers && status.disabled_handlers.length ? status.disabled_handlers.join(", ") : "none"],
  ];
  $("#script-status").replaceChildren(...facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", {}, value)]));
}

async function loadScripts() {
  renderScriptStatus(await api("GET", "/api/v1/scripts"));
  loadScriptLog();
}

async function loadScriptLog() {
  const log = await api("GET", "/api/v1/scripts/log?limit=100");
  $("#script-log tbody").replaceChildren(...log.lines.slice().reverse().map((line) =>
    el("tr", { class: `cls-${line.level === "error" || line.level === "critical" ? "error" : "normal"}` },
      el("td", { text: line.time.replace("T", " ").replace("Z", "") }), el("td", { text: line.level }),
      el("td", { class: "mono", text: line.script || "" }), el("td", { text: line.message }))));
}

// MARK: Devices and actions

function wireDevices() {
  $("#devices").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-device]");
    if (!button) return;
    const sn = button.dataset.device;
    once(button, async () => {
      try {
        if (button.dataset.op === "approve") await api("POST", `/api/v1/devices/${encodeURIComponent(sn)}/approve`);
        if (button.dataset.op === "delete") {
          if (!confirm(`Delete the waiting device ${sn}?`)) return;
          await api("DELETE", `/api/v1/devices/${encodeURIComponent(sn)}`);
        }
        if (button.dataset.op === "queue") return showCommands(sn);
        await loadDevices();
      } catch (error) { alert(`${sn}: ${error.message}`); }
    });
  });
  $("#actions").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-retry]");
    if (!button) return;
    once(button, async () => {
      try { await api("POST", `/api/v1/actions/${button.dataset.retry}/retry`); await loadActions(); }
      catch (error) { alert(`Action ${button.dataset.retry}: ${error.message}`); }
    });
  });
}

async function loadDevices() {
  let devices = [];
  try { devices = (await api("GET", "/api/v1/devices")).devices; } catch (error) {
    if (error.status !== 404) throw error; // no PUSH server on this host
  }
  $("#devices tbody").replaceChildren(...devices.map((device) => {
    const pending = device.status === "pending_approval" || device.status === "pending";
    return el("tr", { "data-device": device.sn },
      el("td", { class: "mono", text: device.sn }), el("td", { text: device.device_type || device.device_name || "" }),
      el("td", {}, el("span", { class: `badge ${pending ? "pending" : device.online ? "online" : "muted"}`, text: device.status })),
      el("td", { text: (device.last_seen || "").replace("T", " ").replace("Z", "") }),
      el("td", {}, el("button", { type: "button", "data-device": device.sn, "data-op": "queue", text: "Commands" })),
      el("td", {}, ...(pending ? [
        el("button", { type: "button", "data-device": device.sn, "data-op": "approve", text: "Approve" }), " ",
        el("button", { type: "button", class: "danger", "data-device": device.sn, "data-op": "delete", text: "Delete" }),
      ] : [])));
  }));
  if (devices.length === 0) $("#devices tbody").replaceChildren(el("tr", {}, el("td", { colspan: "6", text: "No PUSH devices have registered." })));
  await loadActions();
}

async function showCommands(sn) {
  const box = $("#device-commands");
  const page = await api("GET", `/api/v1/devices/${encodeURIComponent(sn)}/commands?limit=100`);
  $("h3", box).textContent = `Command queue of ${sn}`;
  $("tbody", box).replaceChildren(...page.commands.map((command) => el("tr", {},
    el("td", { text: command.id }), el("td", { class: "mono", text: command.command }), el("td", { text: command.state }),
    el("td", { text: command.return_code ?? "" }))));
  box.hidden = false;
}

async function loadActions() {
  const page = await api("GET", "/api/v1/actions?limit=100");
  $("#actions tbody").replaceChildren(...page.actions.map((action) => el("tr", { "data-action-id": String(action.id) },
    el("td", { text: action.id }), el("td", { text: `${action.kind}: ${action.summary || ""}` }),
    el("td", {}, el("span", { class: `badge ${action.state}`, text: action.state })), el("td", { text: action.attempts }),
    el("td", { text: action.last_error || "" }),
    el("td", {}, action.state === "dead" || action.state === "skipped"
      ? el("button", { type: "button", "data-retry": String(action.id), text: "Retry" }) : ""))));
}

// MARK: Health

async function refreshHealth() {
  if (!state.csrf) return;
  const [health, metrics] = await Promise.all([
    fetch("/healthz", { cache: "no-store" }).then((response) => response.json()).catch(() => null),
    fetch("/metrics", { cache: "no-store" }).then((response) => response.text()).catch(() => ""),
  ]);
  if (health) {
    const facts = [
      ["Status", el("span", { class: `badge ${health.status}`, "data-testid": "health-status", text: health.status })],
      ["Version", health.version], ["Uptime", `${Math.round(health.uptime_s)} s`],
      ["Database", `${health.database.path} (schema ${health.database.schema_version})`],
      ["Scripts", health.script.ok ? `ok, ${health.script.version}` : `failed: ${health.script.error}`],
    ];
    $("#health").replaceChildren(...facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", {}, value)]));
  }
  const figure = (name, labels) => {
    const line = metrics.split("\n").find((text) => text.startsWith(name + (labels ? `{${labels}}` : " ")));
    return line ? Number(line.split(" ").pop()) : null;
  };
  const decisions = (figure("gatehouse_decisions_total", 'outcome="granted"') || 0) + (figure("gatehouse_decisions_total", 'outcome="denied"') || 0);
  const now = Date.now();
  let perMinute = "measuring…";
  if (state.metricsSample) {
    const minutes = (now - state.metricsSample.time) / 60000;
    perMinute = minutes > 0 ? (Math.max(0, decisions - state.metricsSample.decisions) / minutes).toFixed(1) : perMinute;
  }
  state.metricsSample = { time: now, decisions };
  const figures = [
    ["Decisions per minute", perMinute], ["Decisions since start", decisions],
    ["Journal entries", figure("gatehouse_journal_entries") ?? "?"],
    ["Outbox pending", figure("gatehouse_outbox_actions", 'state="pending"') ?? "?"],
    ["Outbox dead", figure("gatehouse_outbox_actions", 'state="dead"') ?? "?"],
  ];
  $("#figures").replaceChildren(...figures.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: String(value) })]));
}

start();
