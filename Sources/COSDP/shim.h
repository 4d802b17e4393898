// libosdp 3.2.9 (the reference OSDP implementation), built into /usr/local by scripts/setup with
// OPT_OSDP_APP_OWNED_QUEUE_DATA, which its pkg-config Cflags define for this header too.
#include <osdp.h>
