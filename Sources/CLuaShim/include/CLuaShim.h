// CLuaShim: the only code in Gatehouse that lets Lua longjmp.
//
// Swift cannot import Lua's function-like macros (lua_pcall, lua_pop,
// LUA_REGISTRYINDEX, lua_yield ...), and a longjmp must never cross a Swift
// frame. This shim re-exports the macros as functions and hosts the
// trampoline through which every Swift host function is called: C marshals
// the Lua arguments into plain C values (no Lua allocation, so no raise while
// Swift runs), calls Swift, and then pushes the results, raises the error or
// yields the coroutine itself, in C.
//
// Rule for Swift callers: every function declared here is either
// non-raising by construction (noted "never raises") or runs its Lua work
// inside lua_pcall and reports a status. Swift must not call a raw Lua API
// that can raise (anything that allocates, calls metamethods or errors).
#ifndef CLUASHIM_H
#define CLUASHIM_H

#include <stddef.h>
#include <stdint.h>
#include <lua5.4/lua.h>
#include <lua5.4/lualib.h>
#include <lua5.4/lauxlib.h>

// Re-exported macros and constants (never raise).
int gh_registryindex(void);
int gh_upvalueindex(int i);
void gh_pop(lua_State *L, int n);
int gh_isnoneornil(lua_State *L, int idx);
const char *gh_tostring(lua_State *L, int idx, size_t *len);
int gh_multret(void);
int gh_ok(void);
int gh_yield_status(void);
int gh_errrun(void);
int gh_errsyntax(void);
int gh_errmem(void);
int gh_errerr(void);
int gh_noref(void);
int gh_gettop(lua_State *L);

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
    GH_FUNCTION = 6, // a function reference stored in the registry (ref in `i`; -1 when nested, not pinned)
    GH_OTHER = 7     // userdata/thread/light userdata, not marshalled
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
    GH_RAISE = 1,  // raise `error` (prefixed with the caller's file:line) as a Lua error: programming mistakes only
    GH_YIELD = 2   // yield the running host coroutine; the host resumes it later with gh_thread_resume
} gh_outcome;

typedef struct {
    gh_outcome outcome;
    gh_value *results; // owned by Swift; valid until the next call of the dispatcher on this VM
    int count;
    const char *error; // NUL-terminated, owned by Swift, for GH_RAISE
} gh_reply;

// Flags passed to the dispatcher describing the calling context.
#define GH_CALL_CAN_YIELD 1 // a host event coroutine that may yield here (not inside a C callback)
#define GH_CALL_MAIN 2      // running on the main thread (load time, transforms, plain calls)

// The Swift dispatcher: host pointer, function id, top-level arguments (the
// flat buffer holds nested tables), flags, reply to fill. Swift must not call
// any raising Lua API from here.
typedef void (*gh_dispatcher)(void *host, lua_State *L, int function_id, const gh_value *args, int nargs,
                              int flags, gh_reply *reply);

// Installs the process-wide dispatcher (idempotent).
void gh_set_dispatcher(gh_dispatcher dispatcher);

// --- State lifecycle ---------------------------------------------------------

// Creates a state whose allocations are capped at `memory_limit` bytes (0 =
// no cap), with `host` as the dispatcher's host pointer and the budget hook
// armed every `hook_step` instructions. Returns NULL when out of memory.
lua_State *gh_newstate(size_t memory_limit, void *host, int hook_step);
void gh_close(lua_State *L);
void *gh_get_host(lua_State *L);
// Sets the dispatcher's host pointer (never raises).
void gh_set_host(lua_State *L, void *host);
size_t gh_memory_used(lua_State *L);
size_t gh_memory_peak(lua_State *L);

// Opens the sandboxed libraries (base, string, table, math, utf8, coroutine
// with host-aware yield/resume/close), registers the host functions as C
// closures under `names` in a table passed to the prelude, runs the prelude
// (Lua text) and keeps the table it returns (the "kit") in the registry.
// Returns LUA_OK and the kit's registry ref, or an error status with the
// message left on the stack.
int gh_setup(lua_State *L, const char *prelude, size_t prelude_len, const char *const *names, const int *ids,
             int count, int *kit_ref);

// --- Calls from Swift (all protected) ------------------------------------------

// Calls registry[ref] (or registry[ref][field] when field != NULL) with the
// given arguments, luaL_traceback as message handler. LUA_OK leaves exactly
// `nresults` values on the stack; otherwise the message with traceback.
int gh_call(lua_State *L, int ref, const char *field, const gh_value *args, int nargs, int nresults);

// Prepares a coroutine running registry[func_ref](args...) (or
// registry[func_ref][field] when field != NULL); run it with gh_thread_resume.
// `host` != 0 makes it a host event coroutine whose host calls may yield;
// otherwise (load time, transforms) host calls cannot yield. Running user code
// in a coroutine keeps its stack after an error, so even memory errors get a
// traceback with file:line. On LUA_OK *thread is the coroutine and
// *thread_ref pins it in the registry (release with gh_unref). On failure the
// message is on L's stack.
int gh_thread_start(lua_State *L, int func_ref, const char *field, int host, const gh_value *args, int nargs,
                    lua_State **thread, int *thread_ref);

// Resumes a host coroutine passing `values` (pushed under protection on L,
// then moved). Returns LUA_OK (finished, *nresults values on the thread's
// stack), LUA_YIELD (a host call yielded), or an error status with the message
// plus the coroutine's traceback pushed on L's stack.
int gh_thread_resume(lua_State *L, lua_State *co, const gh_value *values, int count, int *nresults);

// Position of the function `level` frames up (1 = the Lua caller of the
// running C function): copies its short source name into `file` and returns
// the current line (0 when unknown). Never raises.
int gh_where(lua_State *L, int level, char *file, size_t size);

// Innermost Lua frame (short source, returned line; 0 if none) of the last
// coroutine that failed in gh_thread_resume: a position even for errors
// without one (memory errors, error objects that are not strings). Never raises.
int gh_error_position(lua_State *L, char *file, size_t size);

// Releases a registry reference (never raises: the slot already exists).
void gh_unref(lua_State *L, int ref);

// Marshals the value at idx into a malloc'd flat buffer (free with gh_free).
// Strings point into Lua memory and are valid only while the value stays on
// the stack. Never raises; returns 0, or -1 when too large/deep.
int gh_marshal_value(lua_State *L, int idx, gh_value **out, int *count);
void gh_free(void *p);

// Marshalling limits, so a hostile argument cannot make C allocate without bound.
#define GH_MAX_VALUES 4096
#define GH_MAX_DEPTH 16

// Loads a chunk of text (never binary) under protection; LUA_OK leaves the
// function on the stack, otherwise the message.
int gh_load_text(lua_State *L, const char *code, size_t len, const char *chunkname);

// --- Budgets -------------------------------------------------------------------

// Starts a budget window: `instructions` (<= 0: unlimited) and a wall-clock
// allowance in nanoseconds (<= 0: unlimited), measured from now. Once spent,
// the hook raises "... budget exceeded" and re-arms itself on every
// instruction so a pcall in the script cannot swallow the kill. Never raises.
void gh_budget_begin(lua_State *L, int64_t instructions, int64_t wall_ns);
// Ends the window; returns why it was killed (0 none, 1 instructions, 2 wall
// clock) and re-arms the normal hook on the main thread. Never raises.
int gh_budget_end(lua_State *L);
// Where the budget ran out first (a pcall in the script may have made later
// re-raises happen elsewhere): copies the short source into `file`, returns
// the line (0 if unknown). Valid until the next gh_budget_begin. Never raises.
int gh_kill_position(lua_State *L, char *file, size_t size);
#define GH_KILL_NONE 0
#define GH_KILL_INSTRUCTIONS 1
#define GH_KILL_WALLCLOCK 2

#endif
