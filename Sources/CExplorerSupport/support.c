// Intentionally empty: the module's functions are inline in include/explorer_support.h.
#include "explorer_support.h"
