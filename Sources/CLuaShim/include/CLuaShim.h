// CLuaShim: the only code in Gatehouse that lets Lua longjmp.
//
// Swift cannot import Lua's function-like macros (lua_pcall, lua_pop,
// LUA_REGISTRYINDEX, lua_yield ...), and a longjmp must never cross a Swift
// frame. This shim re-exports the macros as functions and hosts the
// trampoline through which every Swift host function is called: C marshals
// the Lua arguments into plain C values (no Lua allocation, so no raise while
// Swift runs), calls Swift, and then pushes the results, raises the error or
// yields the coroutine itself, in C.
#ifndef CLUASHIM_H
#define CLUASHIM_H

#include <stddef.h>
#include <stdint.h>
#include <lua5.4/lua.h>
#include <lua5.4/lualib.h>
#include <lua5.4/lauxlib.h>

// Re-exported macros.
int gh_registryindex(void);
int gh_upvalueindex(int i);
int gh_pcall(lua_State *L, int nargs, int nresults, int msgh);
void gh_pop(lua_State *L, int n);
void gh_newtable(lua_State *L);
int gh_isnoneornil(lua_State *L, int idx);
const char *gh_tostring(lua_State *L, int idx, size_t *len);
void *gh_getextraspace(lua_State *L);
int gh_yield_ok(lua_State *L);
int gh_multret(void);
int gh_ok(void);
int gh_yield_status(void);
int gh_errrun(void);
int gh_errsyntax(void);
int gh_errmem(void);
int gh_errerr(void);

// Tagged values exchanged between C and Swift. A table is GH_TABLE with
// `count` key/value pairs following it in prefix order (2*count values,
// each possibly a nested table).
typedef enum {
    GH_NIL = 0,
    GH_BOOL = 1,
    GH_INT = 2,
    GH_NUM = 3,
    GH_STR = 4,
    GH_TABLE = 5,
    GH_FUNCTION = 6, // argument only: a function reference stored in the registry (ref in `i`)
    GH_OTHER = 7     // argument only: userdata/thread/light userdata, not marshalled
} gh_tag;

typedef struct {
    gh_tag tag;
    int64_t i;     // GH_BOOL (0/1), GH_INT, GH_TABLE (pair count), GH_FUNCTION (registry ref)
    double n;      // GH_NUM
    const char *s; // GH_STR bytes (not NUL-terminated necessarily)
    size_t len;    // GH_STR length
} gh_value;

typedef enum {
    GH_RETURN = 0, // push `results` and return them
    GH_RAISE = 1,  // raise `error` as a Lua error (programming mistakes only)
    GH_YIELD = 2   // yield the running coroutine; the host resumes it later
} gh_outcome;

typedef struct {
    gh_outcome outcome;
    gh_value *results; // owned by Swift; valid until the next call of the dispatcher on this VM
    int count;
    const char *error; // NUL-terminated, owned by Swift, for GH_RAISE
} gh_reply;

// The Swift dispatcher: function id, arguments, reply to fill. The `host`
// pointer is whatever was stored with gh_set_host.
typedef void (*gh_dispatcher)(void *host, lua_State *L, int function_id, const gh_value *args, int nargs,
                              gh_reply *reply);

// Installs the dispatcher and the host pointer in the state's extra space
// (copied by Lua into every coroutine).
void gh_set_host(lua_State *L, void *host, gh_dispatcher dispatcher);
void *gh_get_host(lua_State *L);

// Pushes a C closure that calls the dispatcher with `function_id`.
void gh_push_host_function(lua_State *L, int function_id);

// Marshalling limits, so a hostile argument cannot make C allocate without bound.
#define GH_MAX_VALUES 4096
#define GH_MAX_DEPTH 16

// Pushes values under protection: returns LUA_OK, or an error status with
// the message on the stack.
int gh_push_values(lua_State *L, const gh_value *values, int count);

// Loads a chunk of text (never binary) with the given chunk name under
// protection; LUA_OK leaves the function on the stack, otherwise the message.
int gh_load_text(lua_State *L, const char *code, size_t len, const char *chunkname);

// Calls the function on top of the stack (with nargs below it) with
// luaL_traceback as the message handler.
int gh_pcall_traceback(lua_State *L, int nargs, int nresults);

// Memory-capped allocator: a state whose allocations would exceed `limit`
// bytes gets NULL, which Lua turns into a memory error.
typedef struct {
    size_t used;
    size_t limit;
    size_t peak;
} gh_alloc_state;
lua_State *gh_newstate(gh_alloc_state *alloc);

// Instruction budget: arms a count hook that raises "instruction budget
// exceeded" once the budget is spent, and keeps raising (line hook) so a
// pcall inside the script cannot swallow the kill.
void gh_set_budget(lua_State *L, int64_t instructions, int step);
void gh_clear_budget(lua_State *L);
int gh_budget_exceeded(lua_State *L);

#endif
