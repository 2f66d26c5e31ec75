#ifndef VFIO_MC_PREFETCH_H
#define VFIO_MC_PREFETCH_H

/// Asks the CPU to start loading the cache line at `address` (a hint; never faults).
static inline void vmc_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
