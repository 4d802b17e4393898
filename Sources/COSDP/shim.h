// libosdp 3.2.9 (the reference OSDP implementation), built into /usr/local by scripts/setup with
// OPT_OSDP_APP_OWNED_QUEUE_DATA: commands live in memory the caller owns until their completion callback. The
// pkg-config file says so too, but SwiftPM passes only include paths to the importer, so it is repeated here.
#ifndef OPT_OSDP_APP_OWNED_QUEUE_DATA
#define OPT_OSDP_APP_OWNED_QUEUE_DATA 1
#endif
#include <osdp.h>
