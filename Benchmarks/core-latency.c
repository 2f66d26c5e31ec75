// core-latency.c: the round trip of one cache line between CPU 0 and CPU 1, in nanoseconds (Benchmarks/run.sh
// prints it before every vfio-mc run of more than one thread).
//
// Why: on the 2-core benchmark machine (a virtual machine) the host at times runs the two virtual CPUs on
// cores that share a last-level cache (a round trip of about 55 ns) and at times on cores that do not (about
// 350 ns). A two-thread search hands cache lines from one thread to the other, so its time depends on which
// placement it ran under; the figure says which one it was. Two threads pinned to CPUs 0 and 1 pass a counter
// back and forth 200,000 times; the program prints the mean round trip. Exit 1 when the machine has fewer than
// two CPUs or the threads cannot be pinned.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

enum { ROUNDS = 200000 };
static _Alignas(128) atomic_long line;

static int pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *partner(void *unused) {
    (void)unused;
    if (pin(1) != 0) return (void *)1;
    for (long i = 0; i < ROUNDS; i++) {
        while (atomic_load_explicit(&line, memory_order_acquire) != 2 * i + 1) { }
        atomic_store_explicit(&line, 2 * i + 2, memory_order_release);
    }
    return NULL;
}

int main(void) {
    pthread_t thread;
    if (pin(0) != 0 || pthread_create(&thread, NULL, partner, NULL) != 0) {
        fprintf(stderr, "core-latency: cannot run threads on CPUs 0 and 1\n");
        return 1;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < ROUNDS; i++) {
        atomic_store_explicit(&line, 2 * i + 1, memory_order_release);
        while (atomic_load_explicit(&line, memory_order_acquire) != 2 * i + 2) { }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    void *failed = NULL;
    pthread_join(thread, &failed);
    if (failed != NULL) {
        fprintf(stderr, "core-latency: cannot pin a thread to CPU 1\n");
        return 1;
    }
    double ns = (end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec);
    printf("%.0f\n", ns / ROUNDS);
    return 0;
}
