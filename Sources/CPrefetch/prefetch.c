// Intentionally empty: the module's only function is inline in include/prefetch.h.
#include "prefetch.h"
