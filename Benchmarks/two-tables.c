// Benchmarks/two-tables.c: the ceiling this host puts on two threads of a search, measured without any search.
// Two independent open-addressing tables of 64-bit keys, each grown by doubling into a fresh mapping and filled
// with pseudo-random keys (about four copies of each, as a breadth-first search meets its successors): one thread
// filling both in turn, or two threads one each. No line is shared between the two threads, so the ratio is what
// the host gives two memory-bound threads of one process (Benchmarks/README.md, "The host's ceiling").
//   gcc -O2 -pthread -o /tmp/two-tables Benchmarks/two-tables.c
//   farm-bench -n 3 --vs "/tmp/two-tables 1 50000000" -- /tmp/two-tables 2 50000000
// Benchmarks/run.sh --speedup runs it beside each pair of vfio-mc runs and prints the ratio as the host's ceiling.
// Usage: two-tables THREADS INSERTS [huge] (THREADS 1 or 2; INSERTS per table, 4 .. 2^40; `huge` advises huge pages
// for the tables, as the store did until 2026-12-07: by default they use small pages, as the store does now). Prints
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

static uint64_t *map_slots(size_t cap) {
    uint64_t *slots = mmap(NULL, cap * 8, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (slots == MAP_FAILED) fail("cannot map the table's memory");
    return slots;
}

typedef struct { uint64_t *slots; size_t cap; size_t count; uint64_t seed; size_t inserts; } table;

static int advise_huge = 0;

static uint64_t mix(uint64_t z) { z += 0x9E3779B97F4A7C15ULL; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL; return z ^ (z >> 31); }

static void put(uint64_t *slots, size_t cap, uint64_t key, size_t *count) {
    size_t s = (size_t)(((unsigned __int128)mix(key) * cap) >> 64);
    while (slots[s]) { if (slots[s] == key) return; s = s + 1 == cap ? 0 : s + 1; }
    slots[s] = key; (*count)++;
}

static void grow(table *t) {
    size_t ncap = t->cap * 2;
    uint64_t *n = map_slots(ncap);
    if (advise_huge) madvise(n, ncap * 8, MADV_HUGEPAGE);
    size_t c = 0;
    for (size_t i = 0; i < t->cap; i++) if (t->slots[i]) put(n, ncap, t->slots[i], &c);
    munmap(t->slots, t->cap * 8);
    t->slots = n; t->cap = ncap;
}

static void *fill(void *arg) {
    table *t = arg;
    uint64_t x = t->seed;
    for (size_t i = 0; i < t->inserts; i++) {
        if (t->count * 4 >= t->cap * 3) grow(t);
        x = mix(x);
        uint64_t key = (x % (t->inserts / 4)) + 1 + (t->seed << 40);   // about 4 copies of each key
        size_t s = (size_t)(((unsigned __int128)mix(key) * t->cap) >> 64);
        __builtin_prefetch(&t->slots[s]);
        put(t->slots, t->cap, key, &t->count);
    }
    return NULL;
}

static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + ts.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc != 3 && !(argc == 4 && strcmp(argv[3], "huge") == 0)) {
        fail("usage: two-tables THREADS INSERTS [huge] (THREADS 1 or 2, INSERTS 4 .. 2^40 per table)");
    }
    advise_huge = argc == 4;
    char *end = NULL;
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
