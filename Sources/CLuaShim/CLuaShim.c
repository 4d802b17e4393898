#include "CLuaShim.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

int gh_registryindex(void) { return LUA_REGISTRYINDEX; }
int gh_upvalueindex(int i) { return lua_upvalueindex(i); }
void gh_pop(lua_State *L, int n) { lua_pop(L, n); }
int gh_isnoneornil(lua_State *L, int idx) { return lua_isnoneornil(L, idx); }
const char *gh_tostring(lua_State *L, int idx, size_t *len) {
    // Only strings: converting a number would allocate and could raise.
    if (lua_type(L, idx) != LUA_TSTRING) return NULL;
    return lua_tolstring(L, idx, len);
}
int gh_multret(void) { return LUA_MULTRET; }
int gh_ok(void) { return LUA_OK; }
int gh_yield_status(void) { return LUA_YIELD; }
int gh_errrun(void) { return LUA_ERRRUN; }
int gh_errsyntax(void) { return LUA_ERRSYNTAX; }
int gh_errmem(void) { return LUA_ERRMEM; }
int gh_errerr(void) { return LUA_ERRERR; }
int gh_noref(void) { return LUA_NOREF; }
int gh_gettop(lua_State *L) { return lua_gettop(L); }

// Early failure before any protected call: leave the conventional message.
// "not enough memory" is interned by lua_newstate (memerrmsg), so pushing it
// finds the existing string and does not allocate; the host keeps the main
// stack empty between calls, so the LUA_MINSTACK free slots cover the push.
static int gh_nomem(lua_State *L) {
    lua_pushliteral(L, "not enough memory");
    return LUA_ERRMEM;
}
void gh_free(void *p) { free(p); }

// --- Per-state data ------------------------------------------------------------
//
// Kept outside Lua memory and reached through the extra space (which Lua
// copies into every coroutine), so the budget hook never allocates.

typedef struct {
    size_t used;
    size_t limit;
    size_t peak;
} gh_alloc_state;

typedef struct {
    gh_alloc_state alloc;
    void *host;
    int threads_ref;  // weak-keyed set of host event coroutines
    int step;         // hook interval in instructions
    int active;       // a budget window is open
    int64_t remaining;
    int64_t deadline_ns; // 0 = none
    int killed;
    char kill_file[128]; // where the budget ran out first (a later re-raise may be elsewhere)
    int kill_line;
    char error_file[128]; // innermost Lua frame of the last failed coroutine (found without allocating)
    int error_line;
} gh_vm;

static gh_dispatcher gh_current_dispatcher = NULL;

void gh_set_dispatcher(gh_dispatcher dispatcher) { gh_current_dispatcher = dispatcher; }

static gh_vm *gh_vm_of(lua_State *L) { return *(gh_vm **)lua_getextraspace(L); }

void *gh_get_host(lua_State *L) {
    gh_vm *vm = gh_vm_of(L);
    return vm ? vm->host : NULL;
}

void gh_set_host(lua_State *L, void *host) { gh_vm_of(L)->host = host; }

size_t gh_memory_used(lua_State *L) { return gh_vm_of(L)->alloc.used; }
size_t gh_memory_peak(lua_State *L) { return gh_vm_of(L)->alloc.peak; }

// --- Memory cap ------------------------------------------------------------------

static void *gh_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    gh_alloc_state *state = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        state->used -= old;
        free(ptr);
        return NULL;
    }
    if (nsize > old && state->limit && state->used - old + nsize > state->limit) return NULL;
    void *grown = realloc(ptr, nsize);
    if (!grown) return NULL;
    state->used = state->used - old + nsize;
    if (state->used > state->peak) state->peak = state->used;
    return grown;
}

static int gh_panic(lua_State *L) {
    (void)L;
    // Every entry from Swift is protected; reaching here is a bug in the shim.
    abort();
}

// --- Budget hook -------------------------------------------------------------------

static int64_t gh_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void gh_hook(lua_State *L, lua_Debug *ar) {
    gh_vm *vm = gh_vm_of(L);
    if (!vm || !vm->active) return;
    int count = lua_gethookcount(L);
    if (!vm->killed) {
        if (count == 1 && vm->step > 1) {
            // A coroutine that survived an earlier kill: back to the normal interval.
            lua_sethook(L, gh_hook, LUA_MASKCOUNT, vm->step);
        }
        if (vm->remaining > 0) {
            vm->remaining -= count > 0 ? count : 1;
            if (vm->remaining <= 0) vm->killed = GH_KILL_INSTRUCTIONS;
        }
        if (!vm->killed && vm->deadline_ns && gh_now_ns() >= vm->deadline_ns) vm->killed = GH_KILL_WALLCLOCK;
        if (vm->killed) {
            vm->kill_line = 0;
            vm->kill_file[0] = 0;
            if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) {
                strncpy(vm->kill_file, ar->short_src, sizeof(vm->kill_file) - 1);
                vm->kill_file[sizeof(vm->kill_file) - 1] = 0;
                vm->kill_line = ar->currentline;
            }
        }
    }
    if (vm->killed) {
        // Redis's trick: stay armed on every instruction, so a pcall in the
        // script that catches this error cannot run another instruction
        // without raising again.
        lua_sethook(L, gh_hook, LUA_MASKCOUNT, 1);
        luaL_where(L, 0);
        lua_pushstring(L, vm->killed == GH_KILL_INSTRUCTIONS ? "instruction budget exceeded"
                                                             : "wall-clock budget exceeded");
        lua_concat(L, 2);
        lua_error(L);
    }
}

void gh_budget_begin(lua_State *L, int64_t instructions, int64_t wall_ns) {
    gh_vm *vm = gh_vm_of(L);
    vm->killed = 0;
    vm->remaining = instructions > 0 ? instructions : 0;
    vm->deadline_ns = wall_ns > 0 ? gh_now_ns() + wall_ns : 0;
    vm->active = (instructions > 0 || wall_ns > 0);
}

int gh_kill_position(lua_State *L, char *file, size_t size) {
    gh_vm *vm = gh_vm_of(L);
    if (size > 0) {
        strncpy(file, vm->kill_file, size - 1);
        file[size - 1] = 0;
    }
    return vm->kill_line;
}

int gh_budget_end(lua_State *L) {
    gh_vm *vm = gh_vm_of(L);
    int killed = vm->killed;
    vm->active = 0;
    vm->killed = 0;
    if (killed) lua_sethook(L, gh_hook, LUA_MASKCOUNT, vm->step);
    return killed;
}

// --- State lifecycle -----------------------------------------------------------------

lua_State *gh_newstate(size_t memory_limit, void *host, int hook_step) {
    gh_vm *vm = calloc(1, sizeof(gh_vm));
    if (!vm) return NULL;
    vm->alloc.limit = memory_limit;
    vm->host = host;
    vm->threads_ref = LUA_NOREF;
    vm->step = hook_step > 0 ? hook_step : 1000;
    lua_State *L = lua_newstate(gh_alloc, &vm->alloc);
    if (!L) {
        free(vm);
        return NULL;
    }
    lua_atpanic(L, gh_panic);
    *(gh_vm **)lua_getextraspace(L) = vm;
    // Armed once on the main thread; every coroutine inherits it at creation.
    lua_sethook(L, gh_hook, LUA_MASKCOUNT, vm->step);
    return L;
}

void gh_close(lua_State *L) {
    if (!L) return;
    gh_vm *vm = gh_vm_of(L);
    // __gc and __close metamethods run during lua_close; a runaway one is
    // killed by a small budget (errors in finalizers only produce warnings).
    gh_budget_begin(L, 1000000, 100000000LL);
    lua_close(L);
    free(vm);
}

int gh_where(lua_State *L, int level, char *file, size_t size) {
    lua_Debug ar;
    if (size > 0) file[0] = 0;
    // Skip C frames (the trampoline itself, pcall, gsub ...) to the nearest Lua function.
    for (int k = level; k < level + 16; k++) {
        if (!lua_getstack(L, k, &ar)) return 0;
        if (!lua_getinfo(L, "Sl", &ar)) return 0;
        if (ar.currentline > 0) {
            if (size > 0) {
                strncpy(file, ar.short_src, size - 1);
                file[size - 1] = 0;
            }
            return ar.currentline;
        }
    }
    return 0;
}

void gh_unref(lua_State *L, int ref) {
    if (ref != LUA_NOREF && ref != LUA_REFNIL) luaL_unref(L, LUA_REGISTRYINDEX, ref);
}

// --- Marshalling Lua -> C -------------------------------------------------------

typedef struct {
    gh_value *values;
    int count;
    int capacity;
} gh_buffer;

static gh_value *gh_append(gh_buffer *buffer) {
    if (buffer->count >= GH_MAX_VALUES) return NULL;
    if (buffer->count == buffer->capacity) {
        int capacity = buffer->capacity ? buffer->capacity * 2 : 16;
        gh_value *grown = realloc(buffer->values, sizeof(gh_value) * (size_t)capacity);
        if (!grown) return NULL;
        buffer->values = grown;
        buffer->capacity = capacity;
    }
    gh_value *v = &buffer->values[buffer->count++];
    memset(v, 0, sizeof(*v));
    return v;
}

// Returns 0 on success, -1 when limits are exceeded. Uses raw access only,
// so no metamethod runs and nothing raises (lua_next on a key that came from
// lua_next itself is always valid; lua_checkstack reports instead of raising).
static int gh_marshal(lua_State *L, int idx, gh_buffer *buffer, int depth) {
    idx = lua_absindex(L, idx);
    gh_value *v = gh_append(buffer);
    if (!v) return -1;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
    case LUA_TNONE:
        v->tag = GH_NIL;
        break;
    case LUA_TBOOLEAN:
        v->tag = GH_BOOL;
        v->i = lua_toboolean(L, idx);
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            v->tag = GH_INT;
            v->i = (int64_t)lua_tointeger(L, idx);
        } else {
            v->tag = GH_NUM;
            v->n = (double)lua_tonumber(L, idx);
        }
        break;
    case LUA_TSTRING:
        v->tag = GH_STR;
        v->s = lua_tolstring(L, idx, &v->len);
        break;
    case LUA_TFUNCTION:
        v->tag = GH_FUNCTION;
        v->i = -1; // pinned by the trampoline for top-level arguments only
        break;
    case LUA_TTABLE: {
        if (depth >= GH_MAX_DEPTH || !lua_checkstack(L, 3)) return -1;
        int slot = buffer->count - 1;
        int64_t pairs = 0;
        buffer->values[slot].tag = GH_TABLE;
        lua_pushnil(L);
        while (lua_next(L, idx) != 0) {
            if (gh_marshal(L, -2, buffer, depth + 1) != 0 || gh_marshal(L, -1, buffer, depth + 1) != 0) {
                lua_pop(L, 2);
                return -1;
            }
            pairs++;
            lua_pop(L, 1);
        }
        buffer->values[slot].i = pairs;
        break;
    }
    default:
        v->tag = GH_OTHER;
        break;
    }
    return 0;
}

int gh_marshal_value(lua_State *L, int idx, gh_value **out, int *count) {
    gh_buffer buffer = {0};
    if (gh_marshal(L, idx, &buffer, 0) != 0) {
        free(buffer.values);
        *out = NULL;
        *count = 0;
        return -1;
    }
    *out = buffer.values;
    *count = buffer.count;
    return 0;
}

// --- Pushing C -> Lua (may raise; only ever called where C may longjmp) ---

static const gh_value *gh_push_one(lua_State *L, const gh_value *v, const gh_value *end) {
    if (v >= end) {
        lua_pushnil(L);
        return end;
    }
    luaL_checkstack(L, 4, "host value too deep");
    switch (v->tag) {
    case GH_BOOL: lua_pushboolean(L, (int)v->i); return v + 1;
    case GH_INT: lua_pushinteger(L, (lua_Integer)v->i); return v + 1;
    case GH_NUM: lua_pushnumber(L, (lua_Number)v->n); return v + 1;
    case GH_STR: lua_pushlstring(L, v->s ? v->s : "", v->len); return v + 1;
    case GH_FUNCTION:
        if (v->i >= 0) lua_rawgeti(L, LUA_REGISTRYINDEX, (lua_Integer)v->i);
        else lua_pushnil(L);
        return v + 1;
    case GH_TABLE: {
        int64_t pairs = v->i;
        lua_createtable(L, 0, pairs > 0 && pairs < 1024 ? (int)pairs : 0);
        const gh_value *cursor = v + 1;
        for (int64_t k = 0; k < pairs; k++) {
            cursor = gh_push_one(L, cursor, end);
            cursor = gh_push_one(L, cursor, end);
            if (lua_isnil(L, -2) || (lua_type(L, -2) == LUA_TNUMBER && lua_tonumber(L, -2) != lua_tonumber(L, -2))) {
                lua_pop(L, 2); // nil or NaN key: not representable
                continue;
            }
            lua_rawset(L, -3);
        }
        return cursor;
    }
    default: lua_pushnil(L); return v + 1;
    }
}

// Counts the flat length of `count` top-level values, bounded by `limit`.
static int gh_flat_length(const gh_value *values, int count, int limit) {
    int index = 0;
    int64_t remaining = count;
    while (remaining > 0 && index < limit) {
        if (values[index].tag == GH_TABLE) remaining += 2 * values[index].i;
        index++;
        remaining--;
    }
    return index;
}

// Pushes `count` top-level values; returns the number pushed.
static int gh_push_all(lua_State *L, const gh_value *values, int count) {
    int total = gh_flat_length(values, count, INT32_MAX);
    const gh_value *cursor = values;
    const gh_value *end = values + total;
    for (int k = 0; k < count; k++) cursor = gh_push_one(L, cursor, end);
    return count;
}

typedef struct {
    const gh_value *values;
    int count;
} gh_push_request;

static int gh_push_protected(lua_State *L) {
    gh_push_request *request = lua_touserdata(L, 1);
    lua_pop(L, 1);
    return gh_push_all(L, request->values, request->count);
}

// Pushes values on L under protection; LUA_OK leaves `count` values.
static int gh_push_values(lua_State *L, const gh_value *values, int count) {
    gh_push_request request = {values, count};
    if (!lua_checkstack(L, 2)) return gh_nomem(L);
    lua_pushcfunction(L, gh_push_protected);
    lua_pushlightuserdata(L, &request);
    return lua_pcall(L, 1, count, 0);
}

// --- Host coroutines ------------------------------------------------------------

// Whether the running thread is a host event coroutine. May raise (stack).
static int gh_is_host_thread(lua_State *L) {
    gh_vm *vm = gh_vm_of(L);
    if (!vm || vm->threads_ref == LUA_NOREF) return 0;
    luaL_checkstack(L, 3, "host thread check");
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->threads_ref);
    lua_pushthread(L);
    lua_rawget(L, -2);
    int yes = lua_toboolean(L, -1);
    lua_pop(L, 2);
    return yes;
}

static int gh_is_host_thread_at(lua_State *L, int idx) {
    gh_vm *vm = gh_vm_of(L);
    if (lua_type(L, idx) != LUA_TTHREAD || !vm || vm->threads_ref == LUA_NOREF) return 0;
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 3, "host thread check");
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->threads_ref);
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    int yes = lua_toboolean(L, -1);
    lua_pop(L, 2);
    return yes;
}

// --- The trampoline ---------------------------------------------------------------

static int gh_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    // The host pushed the results of the yielding call before resuming.
    return lua_gettop(L) - (int)ctx;
}

#define GH_MAX_ARGS 64

static int gh_trampoline(lua_State *L) {
    gh_vm *vm = gh_vm_of(L);
    if (!vm || !gh_current_dispatcher) return luaL_error(L, "host is not attached to this Lua state");
    int function_id = (int)lua_tointeger(L, lua_upvalueindex(1));
    int nargs = lua_gettop(L);
    if (nargs > GH_MAX_ARGS) return luaL_error(L, "too many arguments for a host function");

    // Pin top-level function arguments first: luaL_ref may raise, and nothing
    // is malloc'd yet. The dispatcher releases the refs it does not keep.
    int refs[GH_MAX_ARGS];
    for (int k = 1; k <= nargs; k++) {
        refs[k - 1] = LUA_NOREF;
        if (lua_type(L, k) == LUA_TFUNCTION) {
            lua_pushvalue(L, k);
            refs[k - 1] = luaL_ref(L, LUA_REGISTRYINDEX);
        }
    }
    int flags = 0;
    if (lua_isyieldable(L) && gh_is_host_thread(L)) flags |= GH_CALL_CAN_YIELD;
    if (lua_pushthread(L)) flags |= GH_CALL_MAIN;
    lua_pop(L, 1);

    gh_buffer buffer = {0};
    for (int k = 1; k <= nargs; k++) {
        int start = buffer.count;
        if (gh_marshal(L, k, &buffer, 0) != 0) {
            free(buffer.values);
            for (int j = 0; j < nargs; j++) gh_unref(L, refs[j]);
            return luaL_error(L, "argument #%d too large or too deeply nested for a host function", k);
        }
        if (buffer.values[start].tag == GH_FUNCTION) buffer.values[start].i = refs[k - 1];
    }

    gh_reply reply = {GH_RETURN, NULL, 0, NULL};
    gh_current_dispatcher(vm->host, L, function_id, buffer.values, nargs, flags, &reply);
    free(buffer.values);

    switch (reply.outcome) {
    case GH_RAISE:
        luaL_where(L, 1);
        lua_pushstring(L, reply.error ? reply.error : "host function failed");
        lua_concat(L, 2);
        return lua_error(L);
    case GH_YIELD: {
        if (!(flags & GH_CALL_CAN_YIELD)) {
            return luaL_error(L, "attempt to yield across a C-call boundary");
        }
        int base = lua_gettop(L);
        return lua_yieldk(L, 0, (lua_KContext)base, gh_continue);
    }
    case GH_RETURN:
    default:
        return gh_push_all(L, reply.results, reply.count);
    }
}

// --- Host-aware coroutine library ------------------------------------------------
//
// A host event coroutine is resumed only by the host: user code may not yield
// it directly (the host would mistake that for a pending I/O call) nor resume
// or close it from another handler.

static int gh_co_yield(lua_State *L) {
    if (gh_is_host_thread(L)) return luaL_error(L, "coroutine.yield called outside a coroutine");
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

static int gh_co_guarded(lua_State *L) {
    if (gh_is_host_thread_at(L, 1)) return luaL_error(L, "cannot resume or close a host event coroutine");
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

// xpcall's message handler runs inside the error path. When the error comes
// from the budget hook, Lua has switched hooks off for that path (luaD_hook
// clears allowhook and the longjmp skips restoring it until the pcall
// boundary), so a looping handler could never be killed. After a kill the
// guard returns the error unchanged instead of calling the script's handler.
static int gh_guarded_handler(lua_State *L) {
    gh_vm *vm = gh_vm_of(L);
    if (vm && vm->killed) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int gh_xpcall(lua_State *L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, gh_guarded_handler, 1);
    lua_replace(L, 2);
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    return original(L);
}

static void gh_wrap_coroutine_field(lua_State *L, int table, const char *name, lua_CFunction wrapper) {
    lua_getfield(L, table, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, table, name);
}

// --- Setup ---------------------------------------------------------------------------

typedef struct {
    const char *prelude;
    size_t prelude_len;
    const char *const *names;
    const int *ids;
    int count;
    int kit_ref;
} gh_setup_request;

static int gh_setup_protected(lua_State *L) {
    gh_setup_request *request = lua_touserdata(L, 1);
    lua_pop(L, 1);
    gh_vm *vm = gh_vm_of(L);

    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    gh_wrap_coroutine_field(L, lua_gettop(L), "xpcall", gh_xpcall);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    int co = lua_gettop(L);
    gh_wrap_coroutine_field(L, co, "yield", gh_co_yield);
    gh_wrap_coroutine_field(L, co, "resume", gh_co_guarded);
    gh_wrap_coroutine_field(L, co, "close", gh_co_guarded);
    lua_pop(L, 1);

    // Weak-keyed set of host event coroutines.
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    vm->threads_ref = luaL_ref(L, LUA_REGISTRYINDEX);

    lua_createtable(L, 0, request->count);
    for (int k = 0; k < request->count; k++) {
        lua_pushinteger(L, request->ids[k]);
        lua_pushcclosure(L, gh_trampoline, 1);
        lua_setfield(L, -2, request->names[k]);
    }
    int host = lua_gettop(L);
    if (luaL_loadbufferx(L, request->prelude, request->prelude_len, "=prelude", "t") != LUA_OK) return lua_error(L);
    lua_pushvalue(L, host);
    lua_call(L, 1, 1);
    if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "prelude did not return its kit table");
    // Code loaded later without an explicit environment sees the frozen base.
    lua_getfield(L, -1, "base");
    if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "prelude kit has no base table");
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    request->kit_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

int gh_setup(lua_State *L, const char *prelude, size_t prelude_len, const char *const *names, const int *ids,
             int count, int *kit_ref) {
    gh_setup_request request = {prelude, prelude_len, names, ids, count, LUA_NOREF};
    if (!lua_checkstack(L, 2)) return gh_nomem(L);
    lua_pushcfunction(L, gh_setup_protected);
    lua_pushlightuserdata(L, &request);
    int status = lua_pcall(L, 1, 0, 0);
    *kit_ref = request.kit_ref;
    return status;
}

// --- Calls -------------------------------------------------------------------------

// Error objects are described without running their metamethods: script
// code in the error path could fail again or loop.
static const char *gh_error_text(lua_State *L, int idx) {
    int type = lua_type(L, idx);
    if (type == LUA_TSTRING || type == LUA_TNUMBER) return lua_tostring(L, idx);
    return lua_pushfstring(L, "(error object is a %s value)", lua_typename(L, type));
}

static int gh_traceback(lua_State *L) {
    luaL_traceback(L, L, gh_error_text(L, 1), 1);
    return 1;
}

typedef struct {
    int ref;
    const char *field;
    const gh_value *args;
    int nargs;
    int nresults;
} gh_call_request;

static int gh_call_protected(lua_State *L) {
    gh_call_request *request = lua_touserdata(L, 1);
    lua_pop(L, 1);
    lua_pushcfunction(L, gh_traceback);
    int handler = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, request->ref);
    if (request->field) {
        if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "host call target is not a table");
        lua_getfield(L, -1, request->field);
        lua_remove(L, -2);
    }
    gh_push_all(L, request->args, request->nargs);
    int status = lua_pcall(L, request->nargs, request->nresults, handler);
    lua_remove(L, handler);
    if (status != LUA_OK) return lua_error(L); // propagate the traceback-decorated message
    return request->nresults;
}

int gh_call(lua_State *L, int ref, const char *field, const gh_value *args, int nargs, int nresults) {
    gh_call_request request = {ref, field, args, nargs, nresults};
    if (!lua_checkstack(L, 2 + nresults)) return gh_nomem(L);
    lua_pushcfunction(L, gh_call_protected);
    lua_pushlightuserdata(L, &request);
    return lua_pcall(L, 1, nresults, 0);
}

int gh_load_text(lua_State *L, const char *code, size_t len, const char *chunkname) {
    // luaL_loadbufferx runs the parser under protection and reports a status.
    return luaL_loadbufferx(L, code, len, chunkname, "t");
}

typedef struct {
    int func_ref;
    const char *field;
    int host;
    const gh_value *args;
    int nargs;
    lua_State *thread;
    int thread_ref;
} gh_start_request;

static int gh_start_protected(lua_State *L) {
    gh_start_request *request = lua_touserdata(L, 1);
    lua_pop(L, 1);
    gh_vm *vm = gh_vm_of(L);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, -1);
    request->thread_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    request->thread = co;
    if (request->host) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, vm->threads_ref);
        lua_pushvalue(L, -2);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, request->func_ref);
    if (request->field) {
        if (lua_type(L, -1) != LUA_TTABLE) return luaL_error(L, "host call target is not a table");
        lua_getfield(L, -1, request->field);
        lua_remove(L, -2);
    }
    if (lua_type(L, -1) != LUA_TFUNCTION) return luaL_error(L, "handler is not a function");
    gh_push_all(L, request->args, request->nargs);
    if (!lua_checkstack(co, request->nargs + 1)) return luaL_error(L, "stack overflow starting a handler");
    lua_xmove(L, co, request->nargs + 1);
    return 0;
}

static int gh_co_traceback(lua_State *L) {
    lua_State *co = lua_tothread(L, 2);
    luaL_traceback(L, co, gh_error_text(L, 1), 0);
    return 1;
}

// Records the innermost Lua frame of a failed coroutine. lua_getstack and
// lua_getinfo("Sl") do not allocate, so this works even after a memory error.
static void gh_record_error_position(lua_State *co) {
    gh_vm *vm = gh_vm_of(co);
    vm->error_line = 0;
    vm->error_file[0] = 0;
    lua_Debug ar;
    for (int level = 0; level < 64 && lua_getstack(co, level, &ar); level++) {
        if (lua_getinfo(co, "Sl", &ar) && ar.currentline > 0) {
            strncpy(vm->error_file, ar.short_src, sizeof(vm->error_file) - 1);
            vm->error_file[sizeof(vm->error_file) - 1] = 0;
            vm->error_line = ar.currentline;
            return;
        }
    }
}

int gh_error_position(lua_State *L, char *file, size_t size) {
    gh_vm *vm = gh_vm_of(L);
    if (size > 0) {
        strncpy(file, vm->error_file, size - 1);
        file[size - 1] = 0;
    }
    return vm->error_line;
}

// After a failed resume: moves the error from `co` to L and decorates it with
// the coroutine's traceback, under protection (keeps the bare message when
// memory runs out).
static void gh_move_error(lua_State *L, lua_State *co) {
    gh_record_error_position(co);
    if (!lua_checkstack(L, 4)) return;
    if (lua_gettop(co) > 0) lua_xmove(co, L, 1);
    else lua_pushnil(L);
    lua_pushcfunction(L, gh_co_traceback);
    lua_pushvalue(L, -2);
    lua_pushthread(co);
    lua_xmove(co, L, 1);
    if (lua_pcall(L, 2, 1, 0) == LUA_OK) {
        lua_remove(L, -2);
    } else {
        lua_pop(L, 1); // keep the bare error object
    }
}

static int gh_resume_counted(lua_State *L, lua_State *co, int nargs, int *nresults) {
    int status = lua_resume(co, L, nargs, nresults);
    if (status != LUA_OK && status != LUA_YIELD) gh_move_error(L, co);
    return status;
}

int gh_thread_start(lua_State *L, int func_ref, const char *field, int host, const gh_value *args, int nargs,
                    lua_State **thread, int *thread_ref) {
    gh_start_request request = {func_ref, field, host, args, nargs, NULL, LUA_NOREF};
    gh_vm_of(L)->error_line = 0;
    *thread = NULL;
    *thread_ref = LUA_NOREF;
    if (!lua_checkstack(L, 2)) return gh_nomem(L);
    lua_pushcfunction(L, gh_start_protected);
    lua_pushlightuserdata(L, &request);
    int status = lua_pcall(L, 1, 0, 0);
    if (status != LUA_OK) {
        gh_unref(L, request.thread_ref);
        return status;
    }
    *thread = request.thread;
    *thread_ref = request.thread_ref;
    return LUA_OK;
}

int gh_thread_resume(lua_State *L, lua_State *co, const gh_value *values, int count, int *nresults) {
    *nresults = 0;
    gh_vm_of(L)->error_line = 0;
    int status = lua_status(co);
    int pending = 0;
    if (status == LUA_OK) {
        // Not started yet: the function and its arguments are already on its stack.
        pending = lua_gettop(co) - 1;
        if (pending < 0) {
            lua_pushliteral(L, "cannot resume a finished coroutine");
            return LUA_ERRRUN;
        }
    } else if (status != LUA_YIELD) {
        lua_pushliteral(L, "cannot resume a failed coroutine");
        return LUA_ERRRUN;
    }
    if (count > 0) {
        int pushed = gh_push_values(L, values, count);
        if (pushed != LUA_OK) return pushed;
        if (!lua_checkstack(co, count)) {
            lua_pop(L, count);
            return gh_nomem(L);
        }
        lua_xmove(L, co, count);
    }
    return gh_resume_counted(L, co, pending + count, nresults);
}
