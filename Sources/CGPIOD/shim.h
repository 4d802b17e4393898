// libgpiod 1.6 (Debian libgpiod-dev): the kernel's GPIO character-device API (/dev/gpiochipN), not sysfs.
#include <gpiod.h>
