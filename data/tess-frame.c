/* tess-frame.c: TessFrame and TessColumn, the immutable columnar tables every
 * layer shares, and the builders the readers and transforms fill them with.
 *
 * Storage lives in GBytes, so renamed or selected columns share it, and nothing
 * is written once a column exists: any thread may read a frame without locks.
 */
#define _GNU_SOURCE 1 /* mremap */

#include "tess-frame-private.h"

#include "tess-csv.h" /* tess_frame_get_warning */
#include "tess-memory.h"

#include <gio/gio.h>

#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

G_DEFINE_BOXED_TYPE (TessFrame, tess_frame, tess_frame_ref, tess_frame_unref)
G_DEFINE_BOXED_TYPE (TessColumn, tess_column, tess_column_ref, tess_column_unref)

struct _TessFrame
{
  gatomicrefcount ref_count;
  guint n_columns;
  gsize n_rows;
  TessColumn **columns;
  GHashTable *index;          /* name -> index + 1 */
  char *warning;              /* set by the reader that made the frame, before it is shared */
  guint64 charged;            /* bytes of the memory budget this frame holds until it is freed */
  GDestroyNotify free_notify; /* called with @free_data just before the frame is freed */
  gpointer free_data;
};

static const char *const type_names[] = {
  [TESS_COLUMN_BOOL] = "bool",     [TESS_COLUMN_INT64] = "int64", [TESS_COLUMN_DOUBLE] = "double",
  [TESS_COLUMN_STRING] = "string", [TESS_COLUMN_DATE] = "date",   [TESS_COLUMN_TIMESTAMP] = "timestamp",
};

const char *
tess_column_type_to_string (TessColumnType type)
{
  g_return_val_if_fail (type <= TESS_COLUMN_TIMESTAMP, NULL);
  return type_names[type];
}

gboolean
tess_column_type_from_string (const char *name, TessColumnType *type)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (name, type_names[i]))
      {
        if (type)
          *type = (TessColumnType) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
tess_column_type_is_numeric (TessColumnType type)
{
  return type == TESS_COLUMN_INT64 || type == TESS_COLUMN_DOUBLE;
}

gsize
tess_column_type_elem_size (TessColumnType type)
{
  switch (type)
    {
    case TESS_COLUMN_BOOL:
      return 1;
    case TESS_COLUMN_DATE:
      return 4;
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      return 8;
    case TESS_COLUMN_DOUBLE:
      return sizeof (double);
    case TESS_COLUMN_STRING:
      return sizeof (guint32); /* until the text passes 4 GiB */
    default:
      g_assert_not_reached ();
    }
}

/* Calendar arithmetic (H. Hinnant's days_from_civil), valid far beyond any
 * date a data file holds. */
gint32
tess_days_from_civil (gint64 y, unsigned m, unsigned d)
{
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned) (y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (gint32) (era * 146097 + (gint64) doe - 719468);
}

void
tess_civil_from_days (gint64 z, gint64 *y, unsigned *m, unsigned *d)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 yy = (gint64) yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

/* Buffers of BIG_BUFFER bytes or more come straight from mmap: growth
 * (mremap) never copies, and freed memory returns to the system at once,
 * whatever malloc's thresholds have become. Capacities are in bytes. */
#define BIG_BUFFER (1024 * 1024)

static gsize
page_round (gsize n)
{
  static gsize page = 0;
  if (page == 0)
    page = sysconf (_SC_PAGESIZE);
  return (n + page - 1) & ~(page - 1);
}

static void *
map_or_die (gsize size)
{
  void *p = mmap (NULL, page_round (size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, size);
  return p;
}

static void *
buffer_resize (void *ptr, gsize old_size, gsize new_size)
{
  void *p;

  if (old_size >= BIG_BUFFER && new_size >= BIG_BUFFER)
    {
      p = mremap (ptr, page_round (old_size), page_round (new_size), MREMAP_MAYMOVE);
      if (p == MAP_FAILED)
        g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, new_size);
      return p;
    }
  if (old_size < BIG_BUFFER && new_size < BIG_BUFFER)
    return g_realloc (ptr, new_size);
  p = new_size >= BIG_BUFFER ? map_or_die (new_size) : g_malloc (new_size);
  if (ptr)
    memcpy (p, ptr, MIN (old_size, new_size));
  if (old_size >= BIG_BUFFER)
    munmap (ptr, page_round (old_size));
  else
    g_free (ptr);
  return p;
}

static void
buffer_free (void *ptr, gsize size)
{
  if (ptr == NULL)
    return;
  if (size >= BIG_BUFFER)
    munmap (ptr, page_round (size));
  else
    g_free (ptr);
}

typedef struct
{
  void *ptr;
  gsize size;
} MappedBlock;

static void
mapped_block_free (gpointer data)
{
  MappedBlock *block = data;
  munmap (block->ptr, block->size);
  g_free (block);
}

static GBytes *take_bytes (void *data, gsize size);

/* Hands a buffer of capacity @cap holding @size bytes to a GBytes. */
static GBytes *
buffer_to_bytes (void *ptr, gsize cap, gsize size)
{
  MappedBlock *block;

  if (cap < BIG_BUFFER)
    return take_bytes (ptr, size);
  if (size == 0)
    {
      munmap (ptr, page_round (cap));
      return g_bytes_new (NULL, 0);
    }
  if (page_round (size) < page_round (cap))
    ptr = mremap (ptr, page_round (cap), page_round (size), 0);
  block = g_new (MappedBlock, 1);
  block->ptr = ptr;
  block->size = page_round (size);
  return g_bytes_new_with_free_func (ptr, size, mapped_block_free, block);
}

/* Builders */

TessColumnBuilder *
tess_column_builder_new (const char *name, TessColumnType type, gsize reserve)
{
  TessColumnBuilder *builder;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (type <= TESS_COLUMN_TIMESTAMP, NULL);

  builder = g_new0 (TessColumnBuilder, 1);
  builder->name = g_strdup (name);
  builder->type = type;
  builder->elem_size = tess_column_type_elem_size (type);
  if (reserve)
    tess_column_builder_reserve (builder, reserve);
  return builder;
}

void
tess_column_builder_free (TessColumnBuilder *builder)
{
  if (builder == NULL)
    return;
  g_free (builder->name);
  buffer_free (builder->values, builder->values_cap * builder->elem_size);
  g_free (builder->bits);
  buffer_free (builder->chars, builder->chars_cap);
  g_free (builder);
}

/* Large builders fill memory the kernel has not mapped in yet. Rather than a
 * page fault per page, they ask for the next stretch in one call: the
 * "alloc" limits mark how far that has happened, the "cap" ones how far the
 * allocation goes. */
#define POPULATE_BYTES (512 * 1024)

static void
populate (void *base, gsize from, gsize to)
{
#ifdef MADV_POPULATE_WRITE
  static gsize page = 0;
  guintptr start, end;

  if (to - from < 64 * 1024)
    return;
  if (page == 0)
    page = sysconf (_SC_PAGESIZE);
  start = ((guintptr) base + from + page - 1) & ~(guintptr) (page - 1);
  end = ((guintptr) base + to) & ~(guintptr) (page - 1);
  if (end > start)
    madvise ((void *) start, end - start, MADV_POPULATE_WRITE);
#endif
}

void
tess_column_builder_reserve (TessColumnBuilder *builder, gsize n)
{
  gsize need = builder->length + n;
  gsize soft;

  if (need <= builder->values_alloc)
    return;
  if (need > builder->values_cap)
    {
      gsize cap = MAX (builder->values_cap * 2, 64);
      cap = MAX (cap, need);
      builder->values =
          buffer_resize (builder->values, builder->values_cap * builder->elem_size, cap * builder->elem_size);
      if (builder->bits)
        {
          gsize bytes = (cap + 7) / 8;
          builder->bits = g_realloc (builder->bits, bytes);
          memset (builder->bits + builder->bits_alloc, 0, bytes - builder->bits_alloc);
          builder->bits_alloc = bytes;
        }
      builder->values_cap = cap;
    }
  soft = MIN (builder->values_cap, MAX (need, builder->values_alloc + POPULATE_BYTES / builder->elem_size));
  populate (builder->values, builder->values_alloc * builder->elem_size, soft * builder->elem_size);
  builder->values_alloc = soft;
}

static void
reserve_chars (TessColumnBuilder *builder, gsize len)
{
  gsize need = builder->chars_len + len + 1;
  gsize soft;

  if (need <= builder->chars_alloc)
    return;
  if (need > builder->chars_cap)
    {
      gsize cap = MAX (builder->chars_cap * 2, 256);
      cap = MAX (cap, need);
      builder->chars = buffer_resize (builder->chars, builder->chars_cap, cap);
      builder->chars_cap = cap;
    }
  soft = MIN (builder->chars_cap, MAX (need, builder->chars_alloc + POPULATE_BYTES));
  populate (builder->chars, builder->chars_alloc, soft);
  builder->chars_alloc = soft;
}

/* Shrinks a mapped buffer of @cap bytes holding @len to what @len needs
 * (but no less than BIG_BUFFER, so that it stays mapped); returns the new
 * capacity. The pages given back may have been populated ahead. */
static gsize
buffer_trim (void *ptr, gsize cap, gsize len)
{
  gsize keep = MAX (page_round (len), BIG_BUFFER);

  if (cap < BIG_BUFFER || page_round (cap) <= keep)
    return cap;
  if (mremap (ptr, page_round (cap), keep, 0) == MAP_FAILED)
    g_error ("%s: failed to shrink %" G_GSIZE_FORMAT " bytes", G_STRLOC, cap);
  return keep;
}

void
tess_column_builder_trim (TessColumnBuilder *builder)
{
  g_return_if_fail (builder != NULL);

  builder->values_cap =
      buffer_trim (builder->values, builder->values_cap * builder->elem_size, builder->length * builder->elem_size) /
      builder->elem_size;
  builder->values_alloc = MIN (builder->values_alloc, builder->values_cap);
  if (builder->chars)
    {
      builder->chars_cap = buffer_trim (builder->chars, builder->chars_cap, builder->chars_len + 1);
      builder->chars_alloc = MIN (builder->chars_alloc, builder->chars_cap);
    }
}

void
tess_column_builder_reset (TessColumnBuilder *builder, TessColumnType type)
{
  if (type != builder->type)
    {
      buffer_free (builder->values, builder->values_cap * builder->elem_size);
      builder->values = NULL;
      builder->values_alloc = 0;
      builder->values_cap = 0;
      builder->type = type;
      builder->elem_size = tess_column_type_elem_size (type);
      builder->wide = FALSE;
    }
  g_clear_pointer (&builder->bits, g_free);
  builder->bits_alloc = 0;
  builder->length = 0;
  builder->null_count = 0;
  builder->chars_len = 0;
}

void
tess_column_builder_convert (TessColumnBuilder *builder, TessColumnType type)
{
  gsize n = builder->length;

  if (type == builder->type)
    return;
  if (builder->type == TESS_COLUMN_INT64 && type == TESS_COLUMN_DOUBLE)
    {
      gint64 *src = (gint64 *) builder->values;
      double *dst = (double *) builder->values;
      for (gsize i = 0; i < n; i++)
        dst[i] = (double) src[i];
      if (builder->bits)
        for (gsize i = 0; i < n; i++)
          if ((builder->bits[i >> 3] >> (i & 7)) & 1)
            dst[i] = NAN;
    }
  else if (builder->type == TESS_COLUMN_DATE && type == TESS_COLUMN_TIMESTAMP)
    {
      gint32 *src = (gint32 *) builder->values;
      gint64 *dst = buffer_resize (NULL, 0, MAX (builder->values_cap, 1) * sizeof (gint64));
      for (gsize i = 0; i < n; i++)
        dst[i] = (gint64) src[i] * G_USEC_PER_SEC * 86400;
      buffer_free (builder->values, builder->values_cap * builder->elem_size);
      builder->values = (guint8 *) dst;
      builder->values_cap = MAX (builder->values_cap, 1);
      builder->values_alloc = MIN (builder->values_alloc, builder->values_cap);
    }
  else
    g_assert (n == builder->null_count);
  if (n == builder->null_count && builder->values_cap)
    builder->values = buffer_resize (builder->values, builder->values_cap * builder->elem_size,
                                     builder->values_cap * tess_column_type_elem_size (type));
  builder->type = type;
  builder->elem_size = tess_column_type_elem_size (type);
  builder->wide = FALSE;
}

void
tess_column_builder_append_null (TessColumnBuilder *builder)
{
  gsize row = builder->length;

  g_return_if_fail (builder != NULL);

  tess_column_builder_reserve (builder, 1);
  if (builder->bits == NULL)
    {
      builder->bits_alloc = (builder->values_cap + 7) / 8;
      builder->bits = g_malloc0 (builder->bits_alloc);
    }
  builder->bits[row >> 3] |= 1 << (row & 7);
  switch (builder->type)
    {
    case TESS_COLUMN_BOOL:
      builder->values[row] = 0;
      break;
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      ((gint64 *) builder->values)[row] = 0;
      break;
    case TESS_COLUMN_DATE:
      ((gint32 *) builder->values)[row] = 0;
      break;
    case TESS_COLUMN_DOUBLE:
      ((double *) builder->values)[row] = NAN;
      break;
    case TESS_COLUMN_STRING:
      if (builder->wide)
        ((gsize *) builder->values)[row] = 0;
      else
        ((guint32 *) builder->values)[row] = 0;
      break;
    default:
      g_assert_not_reached ();
    }
  builder->length++;
  builder->null_count++;
}

void
tess_column_builder_append_bool (TessColumnBuilder *builder, gboolean value)
{
  g_return_if_fail (builder != NULL && builder->type == TESS_COLUMN_BOOL);
  tess_column_builder_reserve (builder, 1);
  builder->values[builder->length++] = value ? 1 : 0;
}

void
tess_column_builder_append_int64 (TessColumnBuilder *builder, gint64 value)
{
  g_return_if_fail (builder != NULL);
  g_return_if_fail (builder->type == TESS_COLUMN_INT64 || builder->type == TESS_COLUMN_TIMESTAMP);
  tess_column_builder_append_int64_fast (builder, value);
}

void
tess_column_builder_append_double (TessColumnBuilder *builder, double value)
{
  g_return_if_fail (builder != NULL && builder->type == TESS_COLUMN_DOUBLE);
  if (isnan (value))
    tess_column_builder_append_null (builder);
  else
    tess_column_builder_append_double_fast (builder, value);
}

void
tess_column_builder_append_date (TessColumnBuilder *builder, gint32 days)
{
  g_return_if_fail (builder != NULL && builder->type == TESS_COLUMN_DATE);
  tess_column_builder_append_date_fast (builder, days);
}

void
tess_column_builder_append_timestamp (TessColumnBuilder *builder, gint64 usec)
{
  g_return_if_fail (builder != NULL && builder->type == TESS_COLUMN_TIMESTAMP);
  tess_column_builder_append_int64_fast (builder, usec);
}

void
tess_column_builder_widen_offsets (TessColumnBuilder *builder)
{
  gsize cap = MAX (builder->values_cap, 1);
  gsize *wide = buffer_resize (NULL, 0, cap * sizeof (gsize));
  const guint32 *narrow = (const guint32 *) builder->values;

  for (gsize i = 0; i < builder->length; i++)
    wide[i] = narrow[i];
  buffer_free (builder->values, builder->values_cap * builder->elem_size);
  builder->values = (guint8 *) wide;
  builder->values_cap = cap;
  builder->values_alloc = MIN (builder->values_alloc, cap);
  builder->elem_size = sizeof (gsize);
  builder->wide = TRUE;
}

void
tess_column_builder_append_string_len (TessColumnBuilder *builder, const char *value, gsize len)
{
  if G_UNLIKELY (builder->length == builder->values_alloc)
    tess_column_builder_reserve (builder, 1);
  if G_UNLIKELY (builder->chars_len + len + 1 > builder->chars_alloc)
    reserve_chars (builder, len);
  if G_UNLIKELY (!builder->wide && builder->chars_len + len + 1 > G_MAXUINT32)
    tess_column_builder_widen_offsets (builder);
  memcpy (builder->chars + builder->chars_len, value, len);
  builder->chars[builder->chars_len + len] = '\0';
  tess_column_builder_push_offset (builder);
  builder->chars_len += len + 1;
}

/* Appends @src's rows to @dest, of the same type, and frees @src, copying
 * them: the way for strings past 4 GiB, whose offsets may widen on the way.
 * A string's offset moves by the text before it; a null row keeps offset 0,
 * as if appended here. */
static void
tess_column_builder_append_builder (TessColumnBuilder *dest, TessColumnBuilder *src)
{
  gsize base = dest->length, n = src->length;

  if (n == 0)
    {
      tess_column_builder_free (src);
      return;
    }
  tess_column_builder_reserve (dest, n);
  if (src->null_count > 0)
    {
      if (dest->bits == NULL)
        {
          dest->bits_alloc = (dest->values_cap + 7) / 8;
          dest->bits = g_malloc0 (dest->bits_alloc);
        }
      for (gsize i = 0; i < n; i++)
        if ((src->bits[i >> 3] >> (i & 7)) & 1)
          dest->bits[(base + i) >> 3] |= 1 << ((base + i) & 7);
    }
  if (dest->type == TESS_COLUMN_STRING)
    {
      gsize chars_base = dest->chars_len;

      if (src->chars_len > 0)
        {
          reserve_chars (dest, src->chars_len);
          memcpy (dest->chars + chars_base, src->chars, src->chars_len);
          dest->chars_len += src->chars_len;
        }
      if (!dest->wide && dest->chars_len > G_MAXUINT32)
        tess_column_builder_widen_offsets (dest);
      for (gsize i = 0; i < n; i++)
        {
          gsize offset = src->wide ? ((const gsize *) src->values)[i] : ((const guint32 *) src->values)[i];
          if (src->null_count > 0 && ((src->bits[i >> 3] >> (i & 7)) & 1))
            offset = 0;
          else
            offset += chars_base;
          if (dest->wide)
            ((gsize *) dest->values)[base + i] = offset;
          else
            ((guint32 *) dest->values)[base + i] = (guint32) offset;
        }
    }
  else
    memcpy (dest->values + base * dest->elem_size, src->values, n * dest->elem_size);
  dest->length += n;
  dest->null_count += src->null_count;
  tess_column_builder_free (src);
}

/* Joins @n buffers end to end into the first, and consumes them: buffer k
 * holds @lens[k] bytes of data in an allocation of @caps[k] bytes (as
 * buffer_resize makes them). Returns the joined buffer, of capacity *cap.
 * Large buffers are not copied: their pages move into place (mremap), and
 * their bytes then shift by less than a page within memory already mapped,
 * so joining costs no page allocation and frees none. */
static void *
join_buffers (void **ptrs, const gsize *lens, const gsize *caps, guint n, gsize *cap)
{
  gsize page = page_round (1);
  gsize total = 0, at;
  guint8 *joined;
  g_autofree guint8 *saved = NULL;

  for (guint k = 0; k < n; k++)
    total += lens[k];
  *cap = MAX (total, 1);
  joined = buffer_resize (ptrs[0], caps[0], *cap);
  at = lens[0];
  for (guint k = 1; k < n; k++)
    {
      if (*cap >= BIG_BUFFER && caps[k] >= BIG_BUFFER && lens[k] >= 2 * page)
        {
          /* the page where it starts also holds the end of the one before */
          gsize start = at & ~(page - 1), shift = at - start;

          if (saved == NULL)
            saved = g_malloc (page);
          memcpy (saved, joined + start, shift);
          if (mremap (ptrs[k], page_round (caps[k]), page_round (shift + lens[k]), MREMAP_MAYMOVE | MREMAP_FIXED,
                      joined + start) == MAP_FAILED)
            g_error ("%s: failed to move %" G_GSIZE_FORMAT " bytes", G_STRLOC, lens[k]);
          memmove (joined + at, joined + start, lens[k]);
          memcpy (joined + start, saved, shift);
        }
      else
        {
          if (lens[k] > 0)
            memcpy (joined + at, ptrs[k], lens[k]);
          buffer_free (ptrs[k], caps[k]);
        }
      at += lens[k];
    }
  return joined;
}

void
tess_column_builder_join (TessColumnBuilder *dest, TessColumnBuilder **more, guint n_more)
{
  g_autofree void **ptrs = g_new (void *, n_more + 1);
  g_autofree gsize *lens = g_new (gsize, n_more + 1);
  g_autofree gsize *caps = g_new (gsize, n_more + 1);
  gsize n_rows = dest->length, n_chars = dest->chars_len, null_count = dest->null_count;
  gboolean wide = dest->wide;
  gsize cap;

  g_return_if_fail (dest != NULL);

  for (guint k = 0; k < n_more; k++)
    {
      g_return_if_fail (more[k]->type == dest->type);
      n_rows += more[k]->length;
      n_chars += more[k]->chars_len;
      null_count += more[k]->null_count;
      wide |= more[k]->wide;
    }
  if (n_rows == dest->length)
    {
      for (guint k = 0; k < n_more; k++)
        tess_column_builder_free (more[k]);
      return;
    }
  if (dest->type == TESS_COLUMN_STRING && (wide || n_chars > G_MAXUINT32))
    {
      /* past 4 GiB of text the offsets widen: append one by one */
      for (guint k = 0; k < n_more; k++)
        tess_column_builder_append_builder (dest, more[k]);
      return;
    }

  /* nulls: one bit per row, shifted into place */
  if (null_count > 0)
    {
      gsize bytes = (n_rows + 7) / 8, base = dest->length;
      guint8 *bits = g_malloc0 (bytes);

      if (dest->bits)
        memcpy (bits, dest->bits, (dest->length + 7) / 8);
      for (guint k = 0; k < n_more; k++)
        {
          TessColumnBuilder *src = more[k];
          guint shift = base & 7;
          guint8 *to = bits + base / 8;

          for (gsize i = 0; src->null_count > 0 && i < (src->length + 7) / 8; i++)
            {
              guint8 b = src->bits[i];
              if (b == 0)
                continue;
              to[i] |= (guint8) (b << shift);
              if (shift && (b >> (8 - shift)))
                to[i + 1] |= b >> (8 - shift);
            }
          base += src->length;
        }
      g_free (dest->bits);
      dest->bits = bits;
      dest->bits_alloc = bytes;
    }

  /* values, then (strings) each row's offset moved by the text before it */
  ptrs[0] = dest->values;
  lens[0] = dest->length * dest->elem_size;
  caps[0] = dest->values_cap * dest->elem_size;
  for (guint k = 0; k < n_more; k++)
    {
      ptrs[k + 1] = more[k]->values;
      lens[k + 1] = more[k]->length * dest->elem_size;
      caps[k + 1] = more[k]->values_cap * dest->elem_size;
      more[k]->values = NULL;
    }
  dest->values = join_buffers (ptrs, lens, caps, n_more + 1, &cap);
  dest->values_cap = cap / dest->elem_size;
  dest->values_alloc = n_rows;
  if (dest->type == TESS_COLUMN_STRING)
    {
      guint32 *offsets = (guint32 *) dest->values;
      gsize row = dest->length, chars_base = dest->chars_len;

      for (guint k = 0; k < n_more; k++)
        {
          for (gsize i = row; i < row + more[k]->length; i++)
            offsets[i] += chars_base;
          row += more[k]->length;
          chars_base += more[k]->chars_len;
        }
      if (null_count > 0)
        for (gsize i = dest->length; i < n_rows; i++)
          if ((dest->bits[i >> 3] >> (i & 7)) & 1)
            offsets[i] = 0;

      ptrs[0] = dest->chars;
      lens[0] = dest->chars_len;
      caps[0] = dest->chars_cap;
      for (guint k = 0; k < n_more; k++)
        {
          ptrs[k + 1] = more[k]->chars;
          lens[k + 1] = more[k]->chars_len;
          caps[k + 1] = more[k]->chars_cap;
          more[k]->chars = NULL;
        }
      dest->chars = join_buffers (ptrs, lens, caps, n_more + 1, &cap);
      dest->chars_cap = cap;
      dest->chars_alloc = cap;
      dest->chars_len = n_chars;
    }
  dest->length = n_rows;
  dest->null_count = null_count;
  for (guint k = 0; k < n_more; k++)
    tess_column_builder_free (more[k]);
}

void
tess_column_builder_append_string (TessColumnBuilder *builder, const char *value)
{
  g_return_if_fail (builder != NULL && builder->type == TESS_COLUMN_STRING);
  if (value == NULL)
    tess_column_builder_append_null (builder);
  else
    tess_column_builder_append_string_len (builder, value, strlen (value));
}

static GBytes *
take_bytes (void *data, gsize size)
{
  if (size == 0)
    {
      g_free (data);
      return g_bytes_new (NULL, 0);
    }
  return g_bytes_new_take (g_realloc (data, size), size);
}

static TessColumn *
column_alloc (const char *name, TessColumnType type, gsize length)
{
  TessColumn *column = g_new0 (TessColumn, 1);

  g_atomic_ref_count_init (&column->ref_count);
  column->name = g_strdup (name);
  column->type = type;
  column->length = length;
  return column;
}

static void
column_set_storage (TessColumn *column, GBytes *values, GBytes *validity, GBytes *strings)
{
  column->values = values;
  column->validity = validity;
  column->strings = strings;
  column->data = g_bytes_get_data (values, NULL);
  column->bits = validity ? g_bytes_get_data (validity, NULL) : NULL;
  column->chars = strings ? g_bytes_get_data (strings, NULL) : NULL;
}

TessColumn *
tess_column_builder_finish (TessColumnBuilder *builder)
{
  TessColumn *column;
  GBytes *validity = NULL;
  GBytes *strings = NULL;
  gsize n;

  g_return_val_if_fail (builder != NULL, NULL);

  n = builder->length;
  column = column_alloc (builder->name, builder->type, n);
  column->null_count = builder->null_count;
  column->wide = builder->wide;
  if (builder->null_count > 0)
    {
      gsize bytes = (n + 7) / 8;
      guint8 *bits = builder->bits;
      for (gsize i = 0; i < bytes; i++)
        bits[i] = ~bits[i];
      if (n & 7)
        bits[bytes - 1] &= (1 << (n & 7)) - 1;
      validity = take_bytes (bits, bytes);
      builder->bits = NULL;
    }
  if (builder->type == TESS_COLUMN_STRING)
    {
      if (builder->chars_len == 0)
        {
          buffer_free (builder->chars, builder->chars_cap);
          builder->chars = g_strdup ("");
          builder->chars_len = 1;
          builder->chars_cap = 1;
        }
      strings = buffer_to_bytes (builder->chars, builder->chars_cap, builder->chars_len);
      builder->chars = NULL;
    }
  column_set_storage (
      column, buffer_to_bytes (builder->values, builder->values_cap * builder->elem_size, n * builder->elem_size),
      validity, strings);
  builder->values = NULL;
  tess_column_builder_free (builder);
  return column;
}

/* Columns */

TessColumn *
tess_column_ref (TessColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  g_atomic_ref_count_inc (&column->ref_count);
  return column;
}

void
tess_column_unref (TessColumn *column)
{
  g_return_if_fail (column != NULL);
  if (!g_atomic_ref_count_dec (&column->ref_count))
    return;
  g_free (column->name);
  g_bytes_unref (column->values);
  g_clear_pointer (&column->validity, g_bytes_unref);
  g_clear_pointer (&column->strings, g_bytes_unref);
  g_free (column);
}

const char *
tess_column_get_name (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  return column->name;
}

TessColumnType
tess_column_get_column_type (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, TESS_COLUMN_STRING);
  return column->type;
}

gsize
tess_column_get_length (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, 0);
  return column->length;
}

gsize
tess_column_get_null_count (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, 0);
  return column->null_count;
}

gboolean
tess_column_is_null (const TessColumn *column, gsize row)
{
  g_return_val_if_fail (column != NULL, TRUE);
  g_return_val_if_fail (row < column->length, TRUE);
  return !tess_column_valid (column, row);
}

gboolean
tess_column_get_bool (const TessColumn *column, gsize row)
{
  g_return_val_if_fail (column != NULL, FALSE);
  g_return_val_if_fail (row < column->length, FALSE);

  switch (column->type)
    {
    case TESS_COLUMN_BOOL:
      return ((const guint8 *) column->data)[row] != 0;
    case TESS_COLUMN_STRING:
      return tess_column_valid (column, row) && *tess_column_string_at (column, row) != 0;
    default:
      {
        double v = tess_column_get_double (column, row);
        return !isnan (v) && v != 0;
      }
    }
}

gint64
tess_column_get_int64 (const TessColumn *column, gsize row)
{
  g_return_val_if_fail (column != NULL, 0);
  g_return_val_if_fail (row < column->length, 0);

  switch (column->type)
    {
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      return ((const gint64 *) column->data)[row];
    case TESS_COLUMN_DATE:
      return ((const gint32 *) column->data)[row];
    case TESS_COLUMN_BOOL:
      return ((const guint8 *) column->data)[row];
    case TESS_COLUMN_DOUBLE:
      {
        double v = ((const double *) column->data)[row];
        return isfinite (v) ? (gint64) v : 0;
      }
    default:
      return 0;
    }
}

double
tess_column_get_double (const TessColumn *column, gsize row)
{
  g_return_val_if_fail (column != NULL, NAN);
  g_return_val_if_fail (row < column->length, NAN);

  if (!tess_column_valid (column, row))
    return NAN;
  switch (column->type)
    {
    case TESS_COLUMN_DOUBLE:
      return ((const double *) column->data)[row];
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      return (double) ((const gint64 *) column->data)[row];
    case TESS_COLUMN_DATE:
      return ((const gint32 *) column->data)[row];
    case TESS_COLUMN_BOOL:
      return ((const guint8 *) column->data)[row];
    default:
      return NAN;
    }
}

const char *
tess_column_get_string (const TessColumn *column, gsize row)
{
  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (row < column->length, NULL);

  if (column->type != TESS_COLUMN_STRING || !tess_column_valid (column, row))
    return NULL;
  return tess_column_string_at (column, row);
}

const gint64 *
tess_column_get_int64_data (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  if (column->type != TESS_COLUMN_INT64 && column->type != TESS_COLUMN_TIMESTAMP)
    return NULL;
  return column->data;
}

const gint32 *
tess_column_get_date_data (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  return column->type == TESS_COLUMN_DATE ? column->data : NULL;
}

const double *
tess_column_get_double_data (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  return column->type == TESS_COLUMN_DOUBLE ? column->data : NULL;
}

const guint8 *
tess_column_get_validity (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  return column->bits;
}

TessColumn *
tess_column_rename (TessColumn *column, const char *name)
{
  TessColumn *copy;

  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  copy = column_alloc (name, column->type, column->length);
  copy->null_count = column->null_count;
  copy->wide = column->wide;
  column_set_storage (copy, g_bytes_ref (column->values), column->validity ? g_bytes_ref (column->validity) : NULL,
                      column->strings ? g_bytes_ref (column->strings) : NULL);
  return copy;
}

static char *
format_double (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v == floor (v) && fabs (v) < 1e15)
    return g_strdup_printf ("%.0f", v);
  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  return g_strdup (buf);
}

static char *
format_timestamp (gint64 usec)
{
  gint64 days = usec >= 0 ? usec / TESS_USEC_PER_DAY : -((-usec + TESS_USEC_PER_DAY - 1) / TESS_USEC_PER_DAY);
  gint64 rest = usec - days * TESS_USEC_PER_DAY;
  gint64 y;
  unsigned m, d;
  gint64 secs = rest / G_USEC_PER_SEC;
  gint64 frac = rest % G_USEC_PER_SEC;

  tess_civil_from_days (days, &y, &m, &d);
  if (frac)
    return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02uT%02d:%02d:%02d.%06dZ", y, m, d, (int) (secs / 3600),
                            (int) (secs / 60 % 60), (int) (secs % 60), (int) frac);
  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02uT%02d:%02d:%02dZ", y, m, d, (int) (secs / 3600),
                          (int) (secs / 60 % 60), (int) (secs % 60));
}

char *
tess_column_format_value (const TessColumn *column, gsize row)
{
  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (row < column->length, NULL);

  if (!tess_column_valid (column, row))
    return g_strdup ("");
  switch (column->type)
    {
    case TESS_COLUMN_BOOL:
      return g_strdup (((const guint8 *) column->data)[row] ? "true" : "false");
    case TESS_COLUMN_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, ((const gint64 *) column->data)[row]);
    case TESS_COLUMN_DOUBLE:
      return format_double (((const double *) column->data)[row]);
    case TESS_COLUMN_STRING:
      return g_strdup (tess_column_string_at (column, row));
    case TESS_COLUMN_DATE:
      {
        gint64 y;
        unsigned m, d;
        tess_civil_from_days (((const gint32 *) column->data)[row], &y, &m, &d);
        return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02u", y, m, d);
      }
    case TESS_COLUMN_TIMESTAMP:
      return format_timestamp (((const gint64 *) column->data)[row]);
    default:
      g_assert_not_reached ();
    }
}

gsize
tess_column_get_bytes (const TessColumn *column)
{
  g_return_val_if_fail (column != NULL, 0);
  return sizeof *column + g_bytes_get_size (column->values) +
         (column->validity ? g_bytes_get_size (column->validity) : 0) +
         (column->strings ? g_bytes_get_size (column->strings) : 0);
}

TessColumn *
tess_column_new_double (const char *name, const double *values, gsize n)
{
  TessColumnBuilder *builder;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (values != NULL || n == 0, NULL);

  builder = tess_column_builder_new (name, TESS_COLUMN_DOUBLE, n);
  for (gsize i = 0; i < n; i++)
    tess_column_builder_append_double (builder, values[i]);
  return tess_column_builder_finish (builder);
}

TessColumn *
tess_column_new_int64 (const char *name, const gint64 *values, gsize n)
{
  TessColumnBuilder *builder;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (values != NULL || n == 0, NULL);

  builder = tess_column_builder_new (name, TESS_COLUMN_INT64, n);
  if (n)
    memcpy (builder->values, values, n * sizeof (gint64));
  builder->length = n;
  return tess_column_builder_finish (builder);
}

TessColumn *
tess_column_new_strings (const char *name, const char *const *values, gsize n)
{
  TessColumnBuilder *builder;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (values != NULL || n == 0, NULL);

  builder = tess_column_builder_new (name, TESS_COLUMN_STRING, n);
  for (gsize i = 0; i < n; i++)
    tess_column_builder_append_string (builder, values[i]);
  return tess_column_builder_finish (builder);
}

/* tess_column_take() of a string column whose rows it takes are a good part
 * of it: new offsets into the same text, which is shared, not copied. A
 * few rows of a large column are copied instead, so that they do not keep
 * all its text alive. */
static TessColumn *
take_shared_strings (const TessColumn *column, const gsize *indices, gsize n, const char *name)
{
  gsize width = column->wide ? sizeof (gsize) : sizeof (guint32);
  guint8 *offsets = g_malloc (MAX (n, 1) * width);
  guint8 *bits = NULL;
  gsize null_count = 0;
  TessColumn *taken;

  for (gsize i = 0; i < n; i++)
    {
      gsize r = indices[i];
      gsize offset = 0;

      if (r == G_MAXSIZE || !tess_column_valid (column, r))
        {
          if (bits == NULL)
            {
              bits = g_malloc ((n + 7) / 8);
              memset (bits, 0xff, (n + 7) / 8);
            }
          bits[i >> 3] &= ~(1u << (i & 7));
          null_count++;
        }
      else
        offset = column->wide ? ((const gsize *) column->data)[r] : ((const guint32 *) column->data)[r];
      if (column->wide)
        ((gsize *) offsets)[i] = offset;
      else
        ((guint32 *) offsets)[i] = (guint32) offset;
    }
  if (bits && (n & 7))
    bits[(n + 7) / 8 - 1] &= (1 << (n & 7)) - 1;
  taken = column_alloc (name, TESS_COLUMN_STRING, n);
  taken->null_count = null_count;
  taken->wide = column->wide;
  column_set_storage (taken, take_bytes (offsets, n * width), bits ? take_bytes (bits, (n + 7) / 8) : NULL,
                      g_bytes_ref (column->strings));
  return taken;
}

TessColumn *
tess_column_take (const TessColumn *column, const gsize *indices, gsize n, const char *name)
{
  TessColumnBuilder *builder;
  gsize es;

  if (column->type == TESS_COLUMN_STRING && column->strings && n >= column->length / 4 && n > 0)
    return take_shared_strings (column, indices, n, name ? name : column->name);
  builder = tess_column_builder_new (name ? name : column->name, column->type, n);
  es = builder->elem_size;

  for (gsize i = 0; i < n; i++)
    {
      gsize r = indices[i];
      if (r == G_MAXSIZE || !tess_column_valid (column, r))
        tess_column_builder_append_null (builder);
      else if (column->type == TESS_COLUMN_STRING)
        {
          const char *s = tess_column_string_at (column, r);
          tess_column_builder_append_string_len (builder, s, strlen (s));
        }
      else
        {
          memcpy (builder->values + builder->length * es, (const guint8 *) column->data + r * es, es);
          builder->length++;
        }
    }
  return tess_column_builder_finish (builder);
}

TessColumn *
tess_column_slice (const TessColumn *column, gsize start, gsize n)
{
  g_autofree gsize *indices = g_new (gsize, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    indices[i] = start + i;
  return tess_column_take (column, indices, n, NULL);
}

int
tess_column_compare_rows (const TessColumn *a, gsize ra, const TessColumn *b, gsize rb)
{
  switch (a->type)
    {
    case TESS_COLUMN_BOOL:
      {
        int x = ((const guint8 *) a->data)[ra], y = ((const guint8 *) b->data)[rb];
        return (x > y) - (x < y);
      }
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      {
        gint64 x = ((const gint64 *) a->data)[ra], y = ((const gint64 *) b->data)[rb];
        return (x > y) - (x < y);
      }
    case TESS_COLUMN_DATE:
      {
        gint32 x = ((const gint32 *) a->data)[ra], y = ((const gint32 *) b->data)[rb];
        return (x > y) - (x < y);
      }
    case TESS_COLUMN_DOUBLE:
      {
        double x = ((const double *) a->data)[ra], y = ((const double *) b->data)[rb];
        return (x > y) - (x < y);
      }
    case TESS_COLUMN_STRING:
      {
        int c = strcmp (tess_column_string_at (a, ra), tess_column_string_at (b, rb));
        return (c > 0) - (c < 0);
      }
    default:
      g_assert_not_reached ();
    }
}

static inline guint64
mix64 (guint64 x)
{
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

guint64
tess_column_hash_row (const TessColumn *column, gsize row)
{
  if (!tess_column_valid (column, row))
    return 0x9e3779b97f4a7c15ULL;
  switch (column->type)
    {
    case TESS_COLUMN_BOOL:
      return mix64 (((const guint8 *) column->data)[row] + 1);
    case TESS_COLUMN_INT64:
    case TESS_COLUMN_TIMESTAMP:
      return mix64 ((guint64) ((const gint64 *) column->data)[row]);
    case TESS_COLUMN_DATE:
      return mix64 ((guint64) (gint64) ((const gint32 *) column->data)[row]);
    case TESS_COLUMN_DOUBLE:
      {
        double v = ((const double *) column->data)[row];
        guint64 bits;
        if (v == 0)
          v = 0; /* -0.0 and 0.0 are equal */
        memcpy (&bits, &v, sizeof bits);
        return mix64 (bits);
      }
    case TESS_COLUMN_STRING:
      {
        const guchar *s = (const guchar *) tess_column_string_at (column, row);
        guint64 h = 0xcbf29ce484222325ULL;
        for (; *s; s++)
          h = (h ^ *s) * 0x100000001b3ULL;
        return mix64 (h);
      }
    default:
      g_assert_not_reached ();
    }
}

/* Frames */

TessFrame *
tess_frame_new (TessColumn *const *columns, guint n_columns, GError **error)
{
  g_autoptr (TessFrame) frame = NULL;

  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  frame = g_new0 (TessFrame, 1);
  g_atomic_ref_count_init (&frame->ref_count);
  frame->columns = g_new0 (TessColumn *, MAX (n_columns, 1));
  frame->index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_columns; i++)
    {
      TessColumn *column = columns[i];

      g_return_val_if_fail (column != NULL, NULL);
      if (i > 0 && column->length != frame->n_rows)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Column “%s” has %" G_GSIZE_FORMAT " rows but column “%s” has %" G_GSIZE_FORMAT, column->name,
                       column->length, columns[0]->name, frame->n_rows);
          return NULL;
        }
      if (g_hash_table_contains (frame->index, column->name))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Two columns are named “%s”; column names must be unique", column->name);
          return NULL;
        }
      frame->n_rows = column->length;
      frame->columns[i] = tess_column_ref (column);
      frame->n_columns = i + 1;
      g_hash_table_insert (frame->index, column->name, GUINT_TO_POINTER (i + 1));
    }
  return g_steal_pointer (&frame);
}

TessFrame *
tess_frame_ref (TessFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  g_atomic_ref_count_inc (&frame->ref_count);
  return frame;
}

void
tess_frame_unref (TessFrame *frame)
{
  g_return_if_fail (frame != NULL);
  if (!g_atomic_ref_count_dec (&frame->ref_count))
    return;
  if (frame->free_notify)
    frame->free_notify (frame->free_data);
  for (guint i = 0; i < frame->n_columns; i++)
    tess_column_unref (frame->columns[i]);
  g_free (frame->columns);
  g_hash_table_unref (frame->index);
  g_free (frame->warning);
  tess_memory_release (frame->charged);
  g_free (frame);
}

gsize
tess_frame_get_n_rows (const TessFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->n_rows;
}

guint
tess_frame_get_n_columns (const TessFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->n_columns;
}

TessColumn *
tess_frame_get_column (const TessFrame *frame, guint index)
{
  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (index < frame->n_columns, NULL);
  return frame->columns[index];
}

int
tess_frame_get_column_index (const TessFrame *frame, const char *name)
{
  g_return_val_if_fail (frame != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);
  return GPOINTER_TO_INT (g_hash_table_lookup (frame->index, name)) - 1;
}

TessColumn *
tess_frame_get_column_by_name (const TessFrame *frame, const char *name)
{
  int index;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  index = tess_frame_get_column_index (frame, name);
  return index < 0 ? NULL : frame->columns[index];
}

gsize
tess_frame_get_bytes (const TessFrame *frame)
{
  gsize bytes;

  g_return_val_if_fail (frame != NULL, 0);
  bytes = sizeof *frame + frame->n_columns * sizeof (gpointer);
  for (guint i = 0; i < frame->n_columns; i++)
    bytes += tess_column_get_bytes (frame->columns[i]);
  return bytes;
}

gboolean
tess_frame_try_ref (TessFrame *frame)
{
  int count;

  g_return_val_if_fail (frame != NULL, FALSE);
  /* gatomicrefcount is an int: take a reference only while there is one */
  do
    {
      count = g_atomic_int_get ((int *) &frame->ref_count);
      if (count <= 0)
        return FALSE;
    }
  while (!g_atomic_int_compare_and_exchange ((int *) &frame->ref_count, count, count + 1));
  return TRUE;
}

void
tess_frame_set_free_notify (TessFrame *frame, GDestroyNotify notify, gpointer data)
{
  g_return_if_fail (frame != NULL && frame->free_notify == NULL);
  frame->free_notify = notify;
  frame->free_data = data;
}

void
tess_frame_charge_memory (TessFrame *frame)
{
  g_return_if_fail (frame != NULL && frame->charged == 0);
  frame->charged = tess_frame_get_bytes (frame);
  tess_memory_charge_anyway (frame->charged);
}

void
tess_frame_set_warning (TessFrame *frame, const char *warning)
{
  g_free (frame->warning);
  frame->warning = g_strdup (warning);
}

char *
tess_column_name_make_safe (const char *text, gssize length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *name = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      if (ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f' || ch == 0x2028 || ch == 0x2029)
        g_string_append_c (name, ' ');
      else if (g_unichar_iscntrl (ch))
        g_string_append_unichar (name, 0xFFFD);
      else
        g_string_append_unichar (name, ch);
    }
  return g_string_free (name, FALSE);
}

const char *
tess_frame_get_warning (const TessFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return frame->warning;
}
