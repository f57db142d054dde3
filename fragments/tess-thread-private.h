/* tess-thread-private.h: TESS_ASSERT_MAIN_THREAD (), the check behind
 * "Main thread only".
 *
 * A doc comment that says "Main thread only" states a rule; this assertion
 * makes the rule check itself. It sits at the top of the functions and
 * callbacks that own the main thread's side of the runtime, the widgets and
 * the app, so a call from a worker fails at the call, not later as a race.
 * It is the one private header of the runtime that the layers above it
 * (documents/, widgets/, app/) include.
 *
 * The main thread is the one the process started with, the one that runs
 * main() and, in Tessera, the default main context. On Linux it is the only
 * thread whose thread id equals the process id, so no one has to record it
 * anywhere first (a constructor, an init call a test might skip). Asking the
 * kernel is a system call, too slow for the hot paths the assertion sits on,
 * so each thread asks once (once in each file that checks: the flag is
 * static) and keeps the answer in a thread-local flag: after that a check is
 * a thread-local load and a compare, and nothing at all when assertions are
 * compiled out (G_DISABLE_ASSERT).
 *
 * The flag is never recomputed: a child forked from a worker that had asked
 * would still say "not main", but forked children here only exec. On systems
 * other than Linux the check passes.
 */
#pragma once

#include <glib.h>

#ifdef __linux__
#include <sys/syscall.h>
#include <unistd.h>
#endif

G_BEGIN_DECLS

/* TRUE on the process's main thread. Any thread. */
static inline gboolean
tess_thread_is_main (void)
{
#ifdef __linux__
  /* 0: not asked yet; 1: the main thread; 2: another thread. */
  static __thread guint8 is_main;

  if (G_UNLIKELY (is_main == 0))
    is_main = syscall (SYS_gettid) == getpid () ? 1 : 2; /* gettid () would need _GNU_SOURCE */
  return is_main == 1;
#else
  return TRUE;
#endif
}

#define TESS_ASSERT_MAIN_THREAD() g_assert (tess_thread_is_main ())

G_END_DECLS
