// libre (Debian libre-dev), the SIP/SDP/RTP library under baresip. Only CSIPShim includes it: Swift never sees
// libre's types. re.h expects the build to say which C headers exist, as libre's own build does.
#ifndef HAVE_INET6
#define HAVE_INET6 1
#endif
#ifndef HAVE_INTTYPES_H
#define HAVE_INTTYPES_H 1
#endif
#ifndef HAVE_STDBOOL_H
#define HAVE_STDBOOL_H 1
#endif
#include <re.h>
