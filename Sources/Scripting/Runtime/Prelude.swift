// The Lua side of the sandbox. It runs once per VM with the full base
// library, captures what it needs, and returns the "kit": the frozen base
// every site file sees through its own `_ENV`, plus the entry points the host
// calls (always through the shim's protected helpers).
enum Prelude {
    static let source = #"""
local host = ...
local G = _G
local error, type, next, ipairs, rawset, rawget, setmetatable, getmetatable, select, tostring, load, collectgarbage =
      error, type, next, ipairs, rawset, rawget, setmetatable, getmetatable, select, tostring, load, collectgarbage
local concat = table.concat
local source = host.__source
local log_info = host["log.info"]

-- Tables handed to scripts read-only: a proxy whose writes raise and whose
-- metatable is locked. `rawset` is wrapped below so proxies stay empty.
local frozen = setmetatable({}, { __mode = "k" })

local function readonly(t, name)
  local proxy = {}
  frozen[proxy] = true
  return setmetatable(proxy, {
    __index = t,
    __newindex = function(_, key)
      error("attempt to modify read-only table '" .. name .. "' (field '" .. tostring(key) .. "')", 2)
    end,
    -- Iterate without handing out the inner table.
    __pairs = function()
      local key
      return function()
        local value
        key, value = next(t, key)
        return key, value
      end
    end,
    __len = function() return #t end,
    __metatable = false,
  })
end

local function copy(t)
  local result = {}
  for k, v in next, t do result[k] = v end
  return result
end

-- Strings share one metatable whose __index is the real string table: strip
-- dump (binary chunks) and hide the metatable.
G.string.dump = nil
getmetatable("").__metatable = false

local base = {}
for _, name in ipairs({ "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
                        "rawget", "rawlen", "select", "tonumber", "tostring", "type", "xpcall" }) do
  base[name] = G[name]
end
base._VERSION = G._VERSION
base.string = readonly(G.string, "string")
base.table = readonly(copy(G.table), "table")
base.math = readonly(copy(G.math), "math")
base.utf8 = readonly(copy(G.utf8), "utf8")
base.coroutine = readonly(copy(G.coroutine), "coroutine")

-- Finalizers run with debug hooks switched off (lgc.c GCTM), so a runaway
-- __gc could not be killed by the budget: scripts may not install them.
-- (Lua only marks an object for finalization if __gc is present when the
-- metatable is set, so checking here is enough.)
base.setmetatable = function(t, mt)
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("setmetatable: __gc metamethods are not allowed in site scripts", 2)
  end
  return setmetatable(t, mt)
end

base.rawset = function(t, k, v)
  if frozen[t] then error("attempt to modify a read-only table", 2) end
  return rawset(t, k, v)
end

local gc_options = { collect = true, count = true, step = true, isrunning = true }
base.collectgarbage = function(option, arg)
  option = option or "collect"
  if not gc_options[option] then
    error("collectgarbage: option '" .. tostring(option) .. "' is not allowed in site scripts", 2)
  end
  return collectgarbage(option, arg)
end

base.print = function(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  log_info(concat(parts, "\t"))
end

-- Host functions, grouped into namespaces by their dotted names.
local namespaces = {}
for name, fn in next, host do
  if name:sub(1, 2) ~= "__" then
    local space, field = name:match("^([%w_]+)%.([%w_]+)$")
    if space then
      namespaces[space] = namespaces[space] or {}
      namespaces[space][field] = fn
    else
      base[name] = fn
    end
  end
end
-- expect.*: assertions for `gatehouse test` files, plain Lua.
local function same(a, b, depth)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" or depth > 20 then return false end
  for k, v in next, a do
    if not same(v, b[k], depth + 1) then return false end
  end
  for k in next, b do
    if a[k] == nil then return false end
  end
  return true
end

local function show(v, depth)
  depth = depth or 0
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) ~= "table" or depth > 3 then return tostring(v) end
  local keys = {}
  for k in next, v do keys[#keys + 1] = k end
  table.sort(keys, function(x, y) return tostring(x) < tostring(y) end)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. " = " .. show(v[k], depth + 1) end
  return "{" .. concat(parts, ", ") .. "}"
end

namespaces.expect = {
  eq = function(actual, expected, message)
    if not same(actual, expected, 0) then
      error((message and message .. ": " or "") .. "expected " .. show(expected) .. ", got " .. show(actual), 2)
    end
  end,
  truthy = function(value, message)
    if not value then error((message and message .. ": " or "") .. "expected a truthy value, got " .. show(value), 2) end
  end,
  falsy = function(value, message)
    if value then error((message and message .. ": " or "") .. "expected nil or false, got " .. show(value), 2) end
  end,
  error = function(fn, pattern)
    local ok, err = pcall(fn)
    if ok then error("expected an error" .. (pattern and (" matching '" .. pattern .. "'") or ""), 2) end
    if pattern and not tostring(err):find(pattern, 1, true) then
      error("expected an error containing '" .. pattern .. "', got: " .. tostring(err), 2)
    end
  end,
}

-- sim.* calls that the simulated world answers raise its refusal at the test's own line: a test must not pass
-- over a credential the REST API would have refused, or a field the live form does not take.
if namespaces.sim then
  for _, name in ipairs({ "event", "advance", "users", "configure", "state" }) do
    local raw = namespaces.sim[name]
    if raw then
      namespaces.sim[name] = function(...)
        local result, err = raw(...)
        if result == nil and err ~= nil then error(err, 2) end
        return result
      end
    end
  end
end

for space, t in next, namespaces do base[space] = readonly(t, space) end

local frozen_base = readonly(base, "_G")

local function newenv()
  local env = {}
  env._G = env
  return setmetatable(env, { __index = frozen_base, __metatable = false })
end

base.load = function(chunk, name, mode, env)
  if type(chunk) ~= "string" then error("load: only strings can be loaded", 2) end
  if mode ~= nil and mode ~= "t" then error("load: only text chunks are allowed", 2) end
  return load(chunk, name or "=(load)", "t", env or newenv())
end

-- Each file's globals, kept so the console can read main.lua's.
local file_envs = {}

local function loadfile(name)
  local text, err = source(name)
  if not text then return nil, err, true end
  local env = newenv()
  local fn, load_err = load(text, "@" .. name, "t", env)
  if fn then file_envs[name] = env end
  return fn, load_err
end

local modules, loading = {}, {}
base.import = function(name)
  if type(name) ~= "string" or not name:match("^[%w_][%w_%-/]*$") or name:find("//", 1, true) then
    error("import: invalid module name '" .. tostring(name) .. "' (letters, digits, _, - and / only)", 2)
  end
  local cached = modules[name]
  if cached ~= nil then return cached end
  if loading[name] then error("import: circular import of '" .. name .. "'", 2) end
  local fn, err, missing = loadfile(name .. ".lua")
  if missing then error("import: no module '" .. name .. "' (" .. name .. ".lua is not in the site directory)", 2) end
  if not fn then error(err, 0) end
  loading[name] = true
  local guard <close> = setmetatable({}, { __close = function() loading[name] = nil end })
  local result = fn()
  if result == nil then result = true end
  modules[name] = result
  return result
end

local kit = { base = frozen_base, newenv = newenv }

function kit.run_file(name)
  local fn, err = loadfile(name)
  if not fn then error(err, 0) end
  return fn()
end

-- Runs a chunk of text in the given environment (the console and the test runner).
function kit.run_text(text, name, env)
  local fn, err = load(text, name, "t", env)
  if not fn then error(err, 0) end
  return fn()
end

-- Console sessions: a scratch _ENV each, reading main.lua's globals (and so the
-- frozen base) but writing only to itself. They belong to this VM: after a
-- reload a session starts over on the new version.
local consoles, console_count = {}, 0
local pack, unpack = G.table.pack, G.table.unpack

local function shown(v)
  if type(v) == "table" then return show(v) end
  return tostring(v)
end

function kit.console_prepare(id, text)
  local session = consoles[id]
  if not session then
    if console_count >= 32 then return false, "stdin: too many console sessions (limit 32)" end
    local env = setmetatable({}, { __index = file_envs["main.lua"] or frozen_base, __metatable = false })
    rawset(env, "_G", env)
    session = { env = env, out = {} }
    consoles[id] = session
    console_count = console_count + 1
  end
  local code = text
  if session.buffer then code = session.buffer .. "\n" .. text end
  session.buffer = nil
  if code:sub(1, 1) == "=" then code = "return " .. code:sub(2) end
  -- Like the standalone REPL: try it as an expression first.
  local fn, err = load("return " .. code, "=stdin", "t", session.env)
  if not fn then fn, err = load(code, "=stdin", "t", session.env) end
  if not fn then
    -- An error at <eof> means the chunk is not finished (an open function or table): wait for more lines.
    if err:sub(-5) == "<eof>" and #code < 65536 then
      session.buffer = code
      return false, err, true
    end
    return false, err
  end
  session.pending = fn
  return true
end

function kit.console_run(id)
  local session = consoles[id]
  local fn = session and session.pending
  if not fn then return false, "", "stdin: nothing to run" end
  session.pending = nil
  local out = {}
  session.out = out
  rawset(session.env, "print", function(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
    out[#out + 1] = concat(parts, "\t")
  end)
  local results = pack(pcall(fn))
  local printed = concat(out, "\n")
  if not results[1] then return false, printed, tostring(results[2]) end
  local values = {}
  for i = 2, results.n do values[i - 1] = shown(results[i]) end
  return true, printed, unpack(values, 1, results.n - 1)
end

-- What a chunk printed before it was killed.
function kit.console_output(id)
  local session = consoles[id]
  return session and concat(session.out, "\n") or ""
end

function kit.console_end(id)
  if consoles[id] then
    consoles[id] = nil
    console_count = console_count - 1
  end
end

return kit
"""#
}
