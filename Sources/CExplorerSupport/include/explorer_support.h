#ifndef VFIO_MC_EXPLORER_SUPPORT_H
#define VFIO_MC_EXPLORER_SUPPORT_H

#include <stdint.h>
#include <stdbool.h>

/// Asks the CPU to start loading the cache line at `address` (a hint; never faults).
static inline void vmc_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Loads a 32-bit value with acquire ordering.
static inline uint32_t vmc_load_acquire_u32(const uint32_t *address) {
    return __atomic_load_n(address, __ATOMIC_ACQUIRE);
}

/// Replaces `*address` by `desired` if it equals `expected` (acquire-release); true on success.
static inline bool vmc_compare_exchange_u32(uint32_t *address, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(address, &expected, desired, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/// Stores a 32-bit value with release ordering (publishes the writes before it to an acquire load of it).
static inline void vmc_store_release_u32(uint32_t *address, uint32_t value) {
    __atomic_store_n(address, value, __ATOMIC_RELEASE);
}

/// Replaces `*address` by `desired` if it equals `expected` (acquire-release); true on success.
static inline bool vmc_compare_exchange_i64(int64_t *address, int64_t expected, int64_t desired) {
    return __atomic_compare_exchange_n(address, &expected, desired, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/// Loads a 32-bit value with relaxed ordering (a hint's read of a slot that other threads may be claiming).
static inline uint32_t vmc_load_relaxed_u32(const uint32_t *address) {
    return __atomic_load_n(address, __ATOMIC_RELAXED);
}

/// Lowers `*address` to `value` if `value` is smaller (relaxed).
static inline void vmc_atomic_min_u32(uint32_t *address, uint32_t value) {
    uint32_t current = __atomic_load_n(address, __ATOMIC_RELAXED);
    while (value < current &&
           !__atomic_compare_exchange_n(address, &current, value, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

/// Adds `value` to `*address` and returns the previous value (relaxed).
static inline int64_t vmc_fetch_add_i64(int64_t *address, int64_t value) {
    return __atomic_fetch_add(address, value, __ATOMIC_RELAXED);
}

/// Loads a 64-bit value with acquire ordering.
static inline int64_t vmc_load_acquire_i64(const int64_t *address) {
    return __atomic_load_n(address, __ATOMIC_ACQUIRE);
}

/// Stores a 64-bit value with relaxed ordering.
static inline void vmc_store_relaxed_i64(int64_t *address, int64_t value) {
    __atomic_store_n(address, value, __ATOMIC_RELAXED);
}

/// Stores a 64-bit value, sequentially consistent (ordered before any later load of another location).
static inline void vmc_store_seq_cst_i64(int64_t *address, int64_t value) {
    __atomic_store_n(address, value, __ATOMIC_SEQ_CST);
}

/// Adds `value` to `*address`, sequentially consistent; returns the previous value.
static inline int64_t vmc_fetch_add_seq_cst_i64(int64_t *address, int64_t value) {
    return __atomic_fetch_add(address, value, __ATOMIC_SEQ_CST);
}

/// Replaces `*address` by `value`, sequentially consistent; returns the previous value.
static inline int64_t vmc_exchange_i64(int64_t *address, int64_t value) {
    return __atomic_exchange_n(address, value, __ATOMIC_SEQ_CST);
}

/// Tells the CPU that the thread is spinning on a value another thread will change.
static inline void vmc_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#include <stddef.h>

/// Maps `bytes` (> 0) of zeroed, private memory, advising huge pages (MADV_HUGEPAGE) when `huge` is non-zero and the
/// mapping is at least 4 MiB; NULL when it fails. Pages never written are never resident.
void *vmc_map(size_t bytes, int huge);

/// Grows or shrinks a mapping from `vmc_map`, moving it when needed (without copying pages on Linux); the
/// contents up to the smaller size are kept, new bytes are zero; `huge` as for `vmc_map`. NULL when it fails (the
/// old mapping stays).
void *vmc_remap(void *address, size_t old_bytes, size_t new_bytes, int huge);

/// Unmaps a mapping from `vmc_map` or `vmc_remap`.
void vmc_unmap(void *address, size_t bytes);

/// A page of zeros in the program's own data, never unmapped: the base of an array the system refused any memory
/// (`MappedArray` with no room), which reads zeros and is only ever written zeros.
void *vmc_empty_page(void);

#endif
