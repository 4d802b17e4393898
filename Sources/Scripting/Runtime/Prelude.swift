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

local function loadfile(name)
  local text, err = source(name)
  if not text then return nil, err, true end
  return load(text, "@" .. name, "t", newenv())
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

return kit
"""#
}
