#include <zlib.h>

// deflateInit2/inflateInit2 are macros over the _ functions (they pass the library version and the stream size),
// which Swift does not import: these wrappers are them.
static inline int gatehouse_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int gatehouse_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
