#define _GNU_SOURCE
#include "process_support.h"

#include <errno.h>
#include <spawn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t received_signal = 0;

/// The child process groups to end with the process (0: a free slot).
#define VMC_TRACKED_GROUPS 64
static int tracked_groups[VMC_TRACKED_GROUPS];

int vmc_flush_stdout(void) {
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        return errno != 0 ? errno : EIO;
    }
    return 0;
}

static void record_signal(int signal) {
    if (received_signal != 0 && signal == SIGINT) {
        static const char message[] = "\nvfio-mc: second interrupt, stopping at once\n";
        (void)!write(STDERR_FILENO, message, sizeof message - 1);
        vmc_kill_tracked_child_groups();
        _exit(130);
    }
    received_signal = signal;
}

void vmc_install_interrupt_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    // A parent may have spawned us with these signals blocked (the mask is inherited): unblock them here, or
    // they would stay pending and the run could not be stopped.
    sigset_t unblocked;
    sigemptyset(&unblocked);
    sigaddset(&unblocked, SIGINT);
    sigaddset(&unblocked, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &unblocked, NULL);
}

int vmc_interrupt_signal(void) {
    return received_signal;
}

static int budget_exhausted = 0;

void vmc_set_budget_exhausted(int which) {
    __atomic_store_n(&budget_exhausted, which, __ATOMIC_RELAXED);
}

int vmc_budget_exhausted(void) {
    return __atomic_load_n(&budget_exhausted, __ATOMIC_RELAXED);
}

void vmc_simulate_interrupt(int signal) {
    received_signal = signal;
}

int vmc_track_child_group(int group) {
    if (group <= 0) return 0;
    for (int slot = 0; slot < VMC_TRACKED_GROUPS; slot++) {
        int expected = 0;
        if (__atomic_compare_exchange_n(&tracked_groups[slot], &expected, group, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            return 1;
        }
    }
    return 0;
}

void vmc_untrack_child_group(int group) {
    if (group <= 0) return;
    for (int slot = 0; slot < VMC_TRACKED_GROUPS; slot++) {
        int expected = group;
        __atomic_compare_exchange_n(&tracked_groups[slot], &expected, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
}

void vmc_kill_tracked_child_groups(void) {
    for (int slot = 0; slot < VMC_TRACKED_GROUPS; slot++) {
        int group = __atomic_load_n(&tracked_groups[slot], __ATOMIC_SEQ_CST);
        if (group > 0) kill(-group, SIGKILL);
    }
}

int vmc_spawn_close_inherited(posix_spawn_file_actions_t *actions) {
    return posix_spawn_file_actions_addclosefrom_np(actions, 3);
}
