// The atomics and prefetch are inline in include/explorer_support.h; the page mapping is here, compiled with
// _GNU_SOURCE for mremap (variadic in glibc, so Swift cannot call it directly).
#define _GNU_SOURCE
#include "explorer_support.h"
#include <string.h>
#include <sys/mman.h>

/// Advises huge pages for the whole 2 MiB pages inside a mapping of at least 4 MiB (a hint only), when asked.
static void vmc_advise_huge(void *address, size_t bytes, int huge) {
#ifdef MADV_HUGEPAGE
    if (huge && bytes >= ((size_t)4 << 20)) {
        (void)madvise(address, bytes, MADV_HUGEPAGE);
    }
#else
    (void)address;
    (void)bytes;
    (void)huge;
#endif
}

void *vmc_map(size_t bytes, int huge) {
    void *address = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (address == MAP_FAILED) {
        return NULL;
    }
    vmc_advise_huge(address, bytes, huge);
    return address;
}

void *vmc_remap(void *address, size_t old_bytes, size_t new_bytes, int huge) {
#ifdef __linux__
    void *moved = mremap(address, old_bytes, new_bytes, MREMAP_MAYMOVE);
    if (moved == MAP_FAILED) {
        return NULL;
    }
    vmc_advise_huge(moved, new_bytes, huge);
    return moved;
#else
    void *moved = vmc_map(new_bytes, huge);
    if (moved == NULL) {
        return NULL;
    }
    memcpy(moved, address, old_bytes < new_bytes ? old_bytes : new_bytes);
    munmap(address, old_bytes);
    return moved;
#endif
}

void vmc_unmap(void *address, size_t bytes) {
    (void)munmap(address, bytes);
}

static _Alignas(4096) unsigned char vmc_zero_page[4096];

void *vmc_empty_page(void) {
    return vmc_zero_page;
}
