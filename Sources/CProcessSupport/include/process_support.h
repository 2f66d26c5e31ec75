#ifndef VFIO_MC_PROCESS_SUPPORT_H
#define VFIO_MC_PROCESS_SUPPORT_H

#include <spawn.h>

/// Flushes standard output; 0 when everything written so far reached the file, else an errno value (EIO when
/// the C library recorded an earlier failure without one). Swift cannot name `stdout` under strict concurrency.
int vmc_flush_stdout(void);

/// Installs handlers for SIGINT and SIGTERM that only record the signal (async-signal-safe): the search polls
/// `vmc_interrupt_signal` between batches and stops cleanly. A second SIGINT ends the process at once (130).
void vmc_install_interrupt_handlers(void);

/// The signal number received (SIGINT or SIGTERM), or 0 when none has arrived.
int vmc_interrupt_signal(void);

/// Records that a budget ran out (1: time, 2: memory), for the search to see at its next poll.
void vmc_set_budget_exhausted(int which);

/// The budget that ran out (1: time, 2: memory), or 0.
int vmc_budget_exhausted(void);

/// Records `signal` as if it had arrived (for tests).
void vmc_simulate_interrupt(int signal);

/// Remembers a child process group (the native compile's `cc` and the `cc1`, `as` and `ld` it starts) that must
/// not outlive an abrupt end of the process: a second SIGINT, or the watchdog's exit. 0 when every slot (64) is
/// taken; the group is then only ended by its owner, as before.
int vmc_track_child_group(int group);

/// Forgets a group remembered by `vmc_track_child_group` (after its owner has ended or reaped it).
void vmc_untrack_child_group(int group);

/// Sends SIGKILL to every remembered group (async-signal-safe: called from the second SIGINT's handler).
void vmc_kill_tracked_child_groups(void);

/// Adds to `actions` the closing of every descriptor from 3 up in the child, so that the compiler does not inherit
/// what the process holds open (glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`). Without it, a compiler
/// (or a test's script, which sleeps a minute) started while another thread wrote an executable kept that file open
/// for writing, and running the file then failed with ETXTBSY. 0, or an errno value.
int vmc_spawn_close_inherited(posix_spawn_file_actions_t *actions);

#endif
