/* tess-source-columns.c: loads of some columns only (TessLoadOptions.columns),
 * and the frames of different column sets the cache holds for one source.
 *
 * A load that names its columns is cached under a key of its own, which
 * names the column set. Which sets exist for one version of a source is
 * noted here, by the key a full load of that version would have: a load
 * of columns that a held frame has (the full frame, or a partial one with
 * more columns) takes that frame and keeps the columns it asked for; a load
 * of columns that no held frame has reads the union of its columns and those
 * of every partial frame held, so the frame it makes serves them all from
 * then on (the frame is widened, never patched: frames are immutable), and
 * the cache forgets the narrower frames it replaces, as it forgets every
 * partial frame once a full one is loaded: a column is held once. The
 * cache keeps single-flight per key, so per column set.
 *
 * Notes are checked against the cache before they are trusted: a frame the
 * cache gave back is no reason to read more columns. Every function here is
 * thread-safe.
 */
#include "tess-source-private.h"

#include "tess-cache-private.h"
#include "tess-frame-private.h"

#include <stdlib.h>
#include <string.h>

/* What noted sets there may be for one source at most: past that, the
 * oldest notes go (loads of those sets then simply read them again). */
#define MAX_SOURCES 256

typedef struct
{
  char **columns; /* sorted; NULL: every column */
  char *key;      /* where the cache holds the frame */
} HeldSet;

static GMutex sets_lock;
static GHashTable *sets;                 /* full key -> GPtrArray of HeldSet*, guarded by sets_lock */
static GQueue sets_order = G_QUEUE_INIT; /* full keys (owned by sets), oldest first */

static void
held_set_free (gpointer data)
{
  HeldSet *set = data;

  g_strfreev (set->columns);
  g_free (set->key);
  g_free (set);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char **
tess_source_columns_normalize (const char *const *columns)
{
  g_autoptr (GPtrArray) names = NULL;

  if (columns == NULL)
    return NULL;
  names = g_ptr_array_new ();
  for (guint i = 0; columns[i]; i++)
    g_ptr_array_add (names, g_strdup (columns[i]));
  g_ptr_array_sort (names, compare_names);
  /* without repeats */
  for (guint i = 1; i < names->len;)
    if (strcmp (names->pdata[i - 1], names->pdata[i]) == 0)
      g_free (g_ptr_array_steal_index (names, i));
    else
      i++;
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* TRUE when every name of @wanted is in @held (a NULL @held holds all). */
static gboolean
set_covers (char **held, const char *const *wanted)
{
  if (held == NULL)
    return TRUE;
  for (guint i = 0; wanted[i]; i++)
    if (!g_strv_contains ((const char *const *) held, wanted[i]))
      return FALSE;
  return TRUE;
}

/* Forgets the frames of @sets (HeldSet*, taken), which a wider one replaces:
 * a column is then held once. Without the lock. */
static void
forget_sets (GPtrArray *sets)
{
  for (guint i = 0; i < sets->len; i++)
    tess_cache_forget (((HeldSet *) sets->pdata[i])->key);
  g_ptr_array_unref (sets);
}

char **
tess_source_columns_choose (const char *full_key, const char *const *wanted, gboolean *full)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *narrower = g_ptr_array_new_with_free_func (held_set_free);
  GPtrArray *held;

  *full = FALSE;
  g_mutex_lock (&sets_lock);
  held = sets ? g_hash_table_lookup (sets, full_key) : NULL;
  for (guint i = 0; held && i < held->len;)
    {
      HeldSet *set = held->pdata[i];

      if (!tess_cache_contains (set->key))
        {
          g_ptr_array_remove_index (held, i);
          continue;
        }
      if (set_covers (set->columns, wanted))
        {
          char **columns = g_strdupv (set->columns);
          *full = columns == NULL;
          g_mutex_unlock (&sets_lock);
          g_ptr_array_unref (narrower);
          return columns;
        }
      for (guint c = 0; set->columns[c]; c++)
        g_ptr_array_add (names, g_strdup (set->columns[c]));
      g_ptr_array_add (narrower, g_ptr_array_steal_index (held, i));
    }
  g_mutex_unlock (&sets_lock);
  /* the wider frame replaces the partial ones */
  forget_sets (narrower);
  for (guint c = 0; wanted[c]; c++)
    g_ptr_array_add (names, g_strdup (wanted[c]));
  g_ptr_array_add (names, NULL);
  return tess_source_columns_normalize ((const char *const *) names->pdata);
}

void
tess_source_columns_note (const char *full_key, const char *const *columns, const char *key)
{
  GPtrArray *narrower = NULL;
  GPtrArray *held;
  HeldSet *set;

  g_mutex_lock (&sets_lock);
  if (sets == NULL)
    sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  held = g_hash_table_lookup (sets, full_key);
  if (held == NULL)
    {
      char *owned = g_strdup (full_key);

      held = g_ptr_array_new_with_free_func (held_set_free);
      g_hash_table_insert (sets, owned, held);
      g_queue_push_tail (&sets_order, owned);
      if (sets_order.length > MAX_SOURCES)
        g_hash_table_remove (sets, g_queue_pop_head (&sets_order));
    }
  for (guint i = 0; i < held->len; i++)
    if (g_str_equal (((HeldSet *) held->pdata[i])->key, key))
      {
        g_mutex_unlock (&sets_lock);
        return;
      }
  /* the full frame replaces every partial one */
  if (columns == NULL)
    {
      narrower = g_ptr_array_new_with_free_func (held_set_free);
      while (held->len > 0)
        g_ptr_array_add (narrower, g_ptr_array_steal_index (held, held->len - 1));
    }
  set = g_new0 (HeldSet, 1);
  set->columns = g_strdupv ((char **) columns);
  set->key = g_strdup (key);
  g_ptr_array_add (held, set);
  g_mutex_unlock (&sets_lock);
  if (narrower)
    forget_sets (narrower);
}

TessFrame *
tess_source_columns_project (TessFrame *frame, const char *const *wanted)
{
  g_autoptr (GPtrArray) columns = g_ptr_array_new ();
  guint n = tess_frame_get_n_columns (frame);
  TessFrame *projected;

  for (guint i = 0; i < n; i++)
    {
      TessColumn *column = tess_frame_get_column (frame, i);
      if (g_strv_contains (wanted, tess_column_get_name (column)))
        g_ptr_array_add (columns, column);
    }
  if (columns->len == n)
    return frame;
  /* the columns are shared: the frame they come from is charged for them */
  projected = tess_frame_new ((TessColumn **) columns->pdata, columns->len, NULL);
  if (projected && tess_frame_get_warning (frame))
    tess_frame_set_warning (projected, tess_frame_get_warning (frame));
  tess_frame_unref (frame);
  return projected;
}
