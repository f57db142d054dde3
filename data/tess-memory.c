/* tess-memory.c: the budget for loaded data (tess-memory.h).
 *
 * A counter and a limit under one lock: charges come a chunk of a download at
 * a time, so the lock is cheap, and two loads racing for the last bytes of
 * the budget cannot both win.
 */
#include "tess-memory.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

static GMutex memory_lock;
static guint64 limit; /* 0: the default */
static guint64 used;

guint64
tess_memory_get_default_limit (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);
  guint64 physical = pages > 0 && page_size > 0 ? (guint64) pages * (guint64) page_size : G_GUINT64_CONSTANT (4) << 30;

  return MAX (physical / 4, 1);
}

void
tess_memory_set_limit (guint64 bytes)
{
  g_mutex_lock (&memory_lock);
  limit = bytes;
  g_mutex_unlock (&memory_lock);
}

guint64
tess_memory_get_limit (void)
{
  guint64 bytes;

  g_mutex_lock (&memory_lock);
  bytes = limit;
  g_mutex_unlock (&memory_lock);
  return bytes ? bytes : tess_memory_get_default_limit ();
}

guint64
tess_memory_get_used (void)
{
  guint64 bytes;

  g_mutex_lock (&memory_lock);
  bytes = used;
  g_mutex_unlock (&memory_lock);
  return bytes;
}

/* "4 GiB", "512 MiB", "1.5 GiB": how the budget is written in messages. */
static char *
format_budget (guint64 bytes)
{
  static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
  guint unit = 0;
  double value = bytes;

  while (value >= 1024 && unit + 1 < G_N_ELEMENTS (units))
    {
      value /= 1024;
      unit++;
    }
  if (value == (double) (guint64) value)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", (guint64) value, units[unit]);
  return g_strdup_printf ("%.1f %s", value, units[unit]);
}

gboolean
tess_memory_charge (guint64 bytes, const char *what, GError **error)
{
  guint64 budget = tess_memory_get_limit ();
  gboolean fits;

  g_mutex_lock (&memory_lock);
  fits = used + bytes <= budget && used + bytes >= used;
  if (fits)
    used += bytes;
  g_mutex_unlock (&memory_lock);
  if (!fits)
    {
      g_autofree char *size = format_budget (budget);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Loading %s would exceed the %s memory limit for data; raise it in Preferences or with "
                   "--memory-limit, or load less",
                   what ? what : "the data", size);
    }
  return fits;
}

void
tess_memory_charge_anyway (guint64 bytes)
{
  g_mutex_lock (&memory_lock);
  used += bytes;
  g_mutex_unlock (&memory_lock);
}

void
tess_memory_release (guint64 bytes)
{
  g_mutex_lock (&memory_lock);
  g_warn_if_fail (bytes <= used);
  used -= MIN (bytes, used);
  g_mutex_unlock (&memory_lock);
}

gboolean
tess_memory_parse_size (const char *text, guint64 *bytes, GError **error)
{
  static const struct
  {
    const char *suffix;
    double factor;
  } units[] = {
    { "", 1 },         { "b", 1 },      { "k", 0x1p10 },   { "kib", 0x1p10 }, { "m", 0x1p20 },
    { "mib", 0x1p20 }, { "g", 0x1p30 }, { "gib", 0x1p30 }, { "t", 0x1p40 },   { "tib", 0x1p40 },
    { "kb", 1e3 },     { "mb", 1e6 },   { "gb", 1e9 },     { "tb", 1e12 },
  };
  g_autofree char *lower = NULL;
  char *end = NULL;
  double value;

  g_return_val_if_fail (text != NULL, FALSE);

  value = g_ascii_strtod (text, &end);
  if (end != text && isfinite (value) && value > 0)
    {
      lower = g_ascii_strdown (end + strspn (end, " "), -1);
      for (guint i = 0; i < G_N_ELEMENTS (units); i++)
        if (g_str_equal (lower, units[i].suffix) && value * units[i].factor < 0x1p63)
          {
            *bytes = (guint64) (value * units[i].factor);
            if (*bytes > 0)
              return TRUE;
          }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "“%s” is not a size; write it as, for example, 4GiB, 512MiB or 2000000 (bytes)", text);
  return FALSE;
}
