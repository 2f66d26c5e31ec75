// Benchmarks/two-tables.c: the ceiling this host puts on two threads of a search, measured without any search.
// Two independent open-addressing tables of 64-bit keys, each grown by doubling into a fresh mapping and filled
// with pseudo-random keys (about four copies of each, as a breadth-first search meets its successors): one thread
// filling both in turn, or two threads one each. No line is shared between the two threads, so the ratio is what
// the host gives two memory-bound threads of one process (Benchmarks/README.md, "The host's ceiling").
//   gcc -O2 -pthread -o /tmp/two-tables Benchmarks/two-tables.c
//   farm-bench -n 3 --vs "/tmp/two-tables 1 50000000" -- /tmp/two-tables 2 50000000
// Benchmarks/run.sh --speedup runs it beside each pair of vfio-mc runs and prints the ratio as the host's ceiling.
// Usage: two-tables THREADS INSERTS [huge] [ahead=D] (THREADS 1 or 2; INSERTS per table, 4 .. 2^40; `huge` advises
// huge pages for the tables, as the store did until 2026-12-07: by default they use small pages, as the store does
// now; `ahead=D`, D from 1 to 256, computes each key D inserts before it is inserted and prefetches its home slot
// then, as the search prefetches the slots of the candidates it will insert 32 later, so that a thread has many
// misses under way at once: without it the slot is prefetched just before the insert). Prints
// one line, "T thread(s): S s, A + B keys"; exit 1 on bad arguments or when the memory cannot be mapped.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static void fail(const char *what) {
    fprintf(stderr, "two-tables: %s\n", what);
    exit(1);
}

static int advise_huge = 0;

// A fresh table, each of its pages written once before anything reads it, as the store writes its fresh index
// (`StateStore.touchFreshIndex`): a read of a never-touched page maps the kernel's zero page, and the write after
// it must then flush that mapping from the TLB of every CPU running the process, an interrupt to the other thread
// per 4 KiB page when two run. Until 2026-12-07 the tables were read first, which charged two threads here (and
// not the search) 1.6 s more kernel time than one thread for 50,000,000 inserts per table.
static uint64_t *map_slots(size_t cap) {
    uint64_t *slots = mmap(NULL, cap * 8, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (slots == MAP_FAILED) fail("cannot map the table's memory");
    if (advise_huge) madvise(slots, cap * 8, MADV_HUGEPAGE);
    for (size_t i = 0; i < cap; i += 4096 / 8) slots[i] = 0;
    return slots;
}

// Each table on 128 bytes of its own (two lines, which the processor may fetch as a pair): the thread filling it
// writes its count at every new key. Until 2026-12-07 the two tables shared a line, the threads wrote it in turn,
// and that alone held two threads to about 1.7x one thread here; with the lines apart they get 1.9x to 2.0x.
typedef struct { _Alignas(128) uint64_t *slots; size_t cap; size_t count; uint64_t seed; size_t inserts; } table;

/// How many inserts ahead a key is computed and its home slot prefetched (0: just before its insert).
static unsigned ahead = 0;

static uint64_t mix(uint64_t z) { z += 0x9E3779B97F4A7C15ULL; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL; return z ^ (z >> 31); }

static size_t home(uint64_t key, size_t cap);

static void put(uint64_t *slots, size_t cap, uint64_t key, size_t *count) {
    size_t s = home(key, cap);
    while (slots[s]) { if (slots[s] == key) return; s = s + 1 == cap ? 0 : s + 1; }
    slots[s] = key; (*count)++;
}

static void grow(table *t) {
    size_t ncap = t->cap * 2;
    uint64_t *n = map_slots(ncap);
    size_t c = 0;
    for (size_t i = 0; i < t->cap; i++) if (t->slots[i]) put(n, ncap, t->slots[i], &c);
    munmap(t->slots, t->cap * 8);
    t->slots = n; t->cap = ncap;
}

static uint64_t next_key(table *t, uint64_t *x) {
    *x = mix(*x);
    return (*x % (t->inserts / 4)) + 1 + (t->seed << 40);   // about 4 copies of each key
}

static size_t home(uint64_t key, size_t cap) { return (size_t)(((unsigned __int128)mix(key) * cap) >> 64); }

// A macro, not a function: as a static function of the table and the key, GCC 12 -O2 compiled this file without
// a single prefetch instruction (seen in the assembly), and the lookahead did nothing.
#define PREFETCH_HOME(t, key) __builtin_prefetch(&(t)->slots[home((key), (t)->cap)])

static void *fill(void *arg) {
    table *t = arg;
    uint64_t x = t->seed;
    // The keys still to insert, `ahead` of them, in a ring; the same key sequence as without the lookahead.
    uint64_t ring[256];
    for (unsigned k = 0; k < ahead; k++) {
        ring[k] = next_key(t, &x);
        PREFETCH_HOME(t, ring[k]);
    }
    for (size_t i = 0; i < t->inserts; i++) {
        if (t->count * 4 >= t->cap * 3) grow(t);
        uint64_t key;
        if (ahead == 0) {
            key = next_key(t, &x);
            PREFETCH_HOME(t, key);
        } else {
            // A prefetch issued before a growth went to the old table: the insert then misses, as the search's does.
            key = ring[i % ahead];
            uint64_t later = next_key(t, &x);
            ring[i % ahead] = later;
            PREFETCH_HOME(t, later);
        }
        put(t->slots, t->cap, key, &t->count);
    }
    return NULL;
}

static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + ts.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    const char *usage = "usage: two-tables THREADS INSERTS [huge] [ahead=D] (THREADS 1 or 2, INSERTS 4 .. 2^40 per table, "
                        "D 1 .. 256)";
    if (argc < 3 || argc > 5) fail(usage);
    char *end = NULL;
    for (int a = 3; a < argc; a++) {
        if (strcmp(argv[a], "huge") == 0 && !advise_huge) {
            advise_huge = 1;
        } else if (strncmp(argv[a], "ahead=", 6) == 0 && ahead == 0) {
            const char *digits = argv[a] + 6;
            unsigned long d = strtoul(digits, &end, 10);
            if (*digits < '0' || *digits > '9' || *end != 0 || d < 1 || d > 256) fail("ahead=D needs D from 1 to 256");
            ahead = (unsigned)d;
        } else {
            fail(usage);
        }
    }
    long threads = strtol(argv[1], &end, 10);
    if (*argv[1] == 0 || *end != 0 || (threads != 1 && threads != 2)) fail("THREADS must be 1 or 2");
    unsigned long long inserts = strtoull(argv[2], &end, 10);
    if (*argv[2] < '0' || *argv[2] > '9' || *end != 0 || inserts < 4 || inserts > (1ULL << 40)) {
        fail("INSERTS must be a whole number from 4 to 2^40");
    }
    table t[2];
    for (int i = 0; i < 2; i++) {
        t[i].cap = 4096; t[i].count = 0; t[i].seed = i + 1; t[i].inserts = inserts;
        t[i].slots = map_slots(t[i].cap);
    }
    double start = now();
    if (threads == 1) { fill(&t[0]); fill(&t[1]); }
    else {
        pthread_t p;
        if (pthread_create(&p, NULL, fill, &t[1]) != 0) fail("cannot start the second thread");
        fill(&t[0]);
        pthread_join(p, NULL);
    }
    printf("%ld thread(s): %.3f s, %zu + %zu keys\n", threads, now() - start, t[0].count, t[1].count);
    return 0;
}
