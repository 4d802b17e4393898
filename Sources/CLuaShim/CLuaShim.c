#include "CLuaShim.h"
#include <stdlib.h>
#include <string.h>

int gh_registryindex(void) { return LUA_REGISTRYINDEX; }
int gh_upvalueindex(int i) { return lua_upvalueindex(i); }
int gh_pcall(lua_State *L, int nargs, int nresults, int msgh) { return lua_pcall(L, nargs, nresults, msgh); }
void gh_pop(lua_State *L, int n) { lua_pop(L, n); }
void gh_newtable(lua_State *L) { lua_newtable(L); }
int gh_isnoneornil(lua_State *L, int idx) { return lua_isnoneornil(L, idx); }
const char *gh_tostring(lua_State *L, int idx, size_t *len) {
    // Only strings: converting a number would allocate and could raise.
    if (lua_type(L, idx) != LUA_TSTRING) return NULL;
    return lua_tolstring(L, idx, len);
}
void *gh_getextraspace(lua_State *L) { return lua_getextraspace(L); }
int gh_multret(void) { return LUA_MULTRET; }
int gh_ok(void) { return LUA_OK; }
int gh_yield_status(void) { return LUA_YIELD; }
int gh_errrun(void) { return LUA_ERRRUN; }
int gh_errsyntax(void) { return LUA_ERRSYNTAX; }
int gh_errmem(void) { return LUA_ERRMEM; }
int gh_errerr(void) { return LUA_ERRERR; }

typedef struct {
    void *host;
    gh_dispatcher dispatcher;
} gh_extra;

void gh_set_host(lua_State *L, void *host, gh_dispatcher dispatcher) {
    gh_extra *extra = malloc(sizeof(gh_extra));
    extra->host = host;
    extra->dispatcher = dispatcher;
    *(gh_extra **)lua_getextraspace(L) = extra;
}

void *gh_get_host(lua_State *L) {
    gh_extra *extra = *(gh_extra **)lua_getextraspace(L);
    return extra ? extra->host : NULL;
}

// --- Marshalling Lua -> C -------------------------------------------------

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
        v->i = -1; // filled in by the trampoline (luaL_ref allocates, so it is done in C after marshalling)
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
    case GH_FUNCTION: lua_rawgeti(L, LUA_REGISTRYINDEX, (lua_Integer)v->i); return v + 1;
    case GH_TABLE: {
        int64_t pairs = v->i;
        lua_createtable(L, 0, pairs > 0 && pairs < 1024 ? (int)pairs : 0);
        const gh_value *cursor = v + 1;
        for (int64_t k = 0; k < pairs; k++) {
            cursor = gh_push_one(L, cursor, end);
            cursor = gh_push_one(L, cursor, end);
            if (lua_isnil(L, -2)) {
                lua_pop(L, 2);
                continue;
            }
            lua_rawset(L, -3);
        }
        return cursor;
    }
    default: lua_pushnil(L); return v + 1;
    }
}

// Pushes `count` top-level values; returns the number pushed.
static int gh_push_all(lua_State *L, const gh_value *values, int count, int total) {
    const gh_value *cursor = values;
    const gh_value *end = values + total;
    int pushed = 0;
    for (int k = 0; k < count && cursor < end; k++) {
        cursor = gh_push_one(L, cursor, end);
        pushed++;
    }
    return pushed;
}

// Counts the flat length of `count` top-level values.
static int gh_flat_length(const gh_value *values, int count) {
    int index = 0;
    int remaining = count;
    while (remaining > 0) {
        if (values[index].tag == GH_TABLE) remaining += (int)(2 * values[index].i);
        index++;
        remaining--;
    }
    return index;
}

typedef struct {
    const gh_value *values;
    int count;
} gh_push_request;

static int gh_push_protected(lua_State *L) {
    gh_push_request *request = lua_touserdata(L, 1);
    lua_pop(L, 1);
    int total = gh_flat_length(request->values, request->count);
    return gh_push_all(L, request->values, request->count, total);
}

int gh_push_values(lua_State *L, const gh_value *values, int count) {
    gh_push_request request = {values, count};
    if (!lua_checkstack(L, 2)) return LUA_ERRMEM;
    lua_pushcfunction(L, gh_push_protected);
    lua_pushlightuserdata(L, &request);
    return lua_pcall(L, 1, count, 0);
}

// --- The trampoline ---------------------------------------------------------

static int gh_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    // The host pushed the results of the yielding call before resuming.
    return lua_gettop(L) - (int)ctx;
}

static int gh_trampoline(lua_State *L) {
    gh_extra *extra = *(gh_extra **)lua_getextraspace(L);
    if (!extra || !extra->dispatcher) return luaL_error(L, "host is not attached to this Lua state");
    int function_id = (int)lua_tointeger(L, lua_upvalueindex(1));
    int nargs = lua_gettop(L);

    gh_buffer buffer = {0};
    for (int k = 1; k <= nargs; k++) {
        if (gh_marshal(L, k, &buffer, 0) != 0) {
            free(buffer.values);
            return luaL_error(L, "argument too large or too deeply nested for a host function");
        }
    }
    // Functions passed to the host are pinned in the registry; the host unrefs them.
    for (int k = 1, flat = 0; k <= nargs; k++) {
        int length = gh_flat_length(buffer.values + flat, 1);
        if (buffer.values[flat].tag == GH_FUNCTION) {
            lua_pushvalue(L, k);
            buffer.values[flat].i = luaL_ref(L, LUA_REGISTRYINDEX);
        }
        flat += length;
    }

    gh_reply reply = {GH_RETURN, NULL, 0, NULL};
    // Top-level argument count is passed, the flat buffer holds nested tables.
    extra->dispatcher(extra->host, L, function_id, buffer.values, nargs, &reply);
    free(buffer.values);

    switch (reply.outcome) {
    case GH_RAISE:
        lua_pushstring(L, reply.error ? reply.error : "host function failed");
        return lua_error(L);
    case GH_YIELD: {
        if (!lua_isyieldable(L)) {
            return luaL_error(L, "attempt to yield across a C-call boundary (I/O is not allowed here)");
        }
        int base = lua_gettop(L);
        return lua_yieldk(L, 0, (lua_KContext)base, gh_continue);
    }
    case GH_RETURN:
    default: {
        int total = gh_flat_length(reply.results, reply.count);
        return gh_push_all(L, reply.results, reply.count, total);
    }
    }
}

void gh_push_host_function(lua_State *L, int function_id) {
    lua_pushinteger(L, function_id);
    lua_pushcclosure(L, gh_trampoline, 1);
}

// --- Loading and calling ------------------------------------------------------

int gh_load_text(lua_State *L, const char *code, size_t len, const char *chunkname) {
    return luaL_loadbufferx(L, code, len, chunkname, "t");
}

static int gh_traceback(lua_State *L) {
    const char *message = lua_tostring(L, 1);
    if (message == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, message, 1);
    return 1;
}

int gh_pcall_traceback(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, gh_traceback);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    return status;
}

// --- Memory cap -------------------------------------------------------------

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

lua_State *gh_newstate(gh_alloc_state *alloc) {
    lua_State *L = lua_newstate(gh_alloc, alloc);
    if (L) {
        lua_atpanic(L, gh_panic);
        *(gh_extra **)lua_getextraspace(L) = NULL;
    }
    return L;
}

// --- Instruction budget ------------------------------------------------------

static const char *gh_budget_key = "gatehouse.budget";

static void gh_budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_getfield(L, LUA_REGISTRYINDEX, gh_budget_key);
    lua_Integer remaining = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_Integer step = lua_gethookcount(L);
    remaining -= step > 0 ? step : 1;
    lua_pushinteger(L, remaining);
    lua_setfield(L, LUA_REGISTRYINDEX, gh_budget_key);
    if (remaining <= 0) {
        // Stay armed on every line and call so a pcall in the script cannot
        // swallow the kill: each further instruction raises again.
        lua_sethook(L, gh_budget_hook, LUA_MASKCOUNT | LUA_MASKLINE | LUA_MASKCALL, 1);
        luaL_error(L, "instruction budget exceeded");
    }
}

void gh_set_budget(lua_State *L, int64_t instructions, int step) {
    lua_pushinteger(L, (lua_Integer)instructions);
    lua_setfield(L, LUA_REGISTRYINDEX, gh_budget_key);
    lua_sethook(L, gh_budget_hook, LUA_MASKCOUNT, step > 0 ? step : 1000);
}

void gh_clear_budget(lua_State *L) { lua_sethook(L, NULL, 0, 0); }

int gh_budget_exceeded(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, gh_budget_key);
    lua_Integer remaining = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return remaining <= 0;
}
