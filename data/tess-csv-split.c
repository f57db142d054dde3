/* tess-csv-split.c: the CSV reader on every core.
 *
 * A large body is cut into chunks at nominal offsets, and each chunk is read
 * by the reader's own body parse (tess-csv.c) into columns of its own, on the
 * calling thread and on helpers from a pool every read shares. The result is
 * the one-thread reader's, value for value; only the time differs.
 *
 * Where a chunk starts. A chunk must start where a row starts, and the middle
 * of the text cannot say where that is for sure: a quoted field may hold line
 * breaks and delimiters. So a chunk's start is a guess (guess_row_start runs
 * the tokenizer's states from every state the text could be in there and
 * drops those the text contradicts), and every guess is checked: the chunk
 * before ends exactly where the one-thread parse would, at the first row
 * start at or past the nominal offset, and a guess stands only when that is
 * where its chunk started. A chunk that started elsewhere is parsed again
 * from its predecessor's end, so the result never rests on a guess; a wrong
 * one costs time, not correctness.
 *
 * Types. Each chunk infers its columns' types alone; they join as the
 * one-thread inference does (int64 and double make double, date and
 * timestamp make timestamp, any other pair text; nulls fit anything). A
 * chunk converts its column in place where the one-thread reader converts
 * (int64 to double, date to timestamp) and parses that column again where
 * only the text will do: a typed column the whole body makes text, or an
 * int64 column that read "-0" after the body's first double (a double
 * column keeps the sign). A chunk known to start right shares the columns it
 * found to be text, so chunks that start later read them as text at once.
 * Then each column's chunks are appended to one builder.
 *
 * Errors. When a chunk known to start right meets an error, every chunk
 * stops and the one-thread parse reads the body again: it reports the same
 * error with the same words, line and column as ever. Lines are counted per
 * chunk and added up when the chunks join, for the ragged-row warning.
 */
#include "tess-csv-private.h"
#include "tess-tasks-private.h"

#include <string.h>

/* Below this, a body is parsed whole: threads would cost more than they save. */
#define SPLIT_MIN_BODY (8 * 1024 * 1024)
#define CHUNKS_PER_THREAD 4
/* How far a guess looks for evidence of the state the text is in. */
#define GUESS_WINDOW (256 * 1024)

/* Guessing where a row starts */

/* The tokenizer's states between two bytes, as far as row starts go. */
enum
{
  AT_FIELD,    /* a field starts here (or a row) */
  IN_FIELD,    /* in an unquoted field, where a quote is text */
  IN_QUOTES,   /* in a quoted field */
  AFTER_QUOTE, /* after a quote in a quoted field: its end, or half of "" */
  N_STATES,
  DEAD = N_STATES, /* the text contradicts this state: text after a closing quote */
};

/* Where the first row at or past @from + 1 starts, as far as the text in the
 * window after @from tells; NULL when no state the text could be in there
 * ends a row within it. Follows the tokenizer from each state the text could
 * be in before @from at once, and keeps the likeliest of those the text does
 * not contradict; a guess, checked by the caller. Any thread. */
static const char *
guess_row_start (const char *from, const char *e, char delim)
{
  /* in order of preference when several survive: most text is unquoted */
  guint8 state[N_STATES] = { AT_FIELD, IN_FIELD, AFTER_QUOTE, IN_QUOTES };
  const char *found[N_STATES] = { NULL };
  const char *limit = (gsize) (e - from) > GUESS_WINDOW ? from + GUESS_WINDOW : e;
  const char *next_quote = from;

  for (const char *p = from; p < limit; p++)
    {
      char ch = *p;
      gboolean row_end = ch == '\n' || ch == '\r';
      int agreed = -1;
      gboolean settled = TRUE, undecided_in_quotes = TRUE;

      for (guint h = 0; h < N_STATES; h++)
        {
          guint8 s = state[h];
          gboolean ends_row = FALSE;

          switch (s)
            {
            case AT_FIELD:
              s = ch == '"' ? IN_QUOTES : (ch == delim || row_end) ? AT_FIELD : IN_FIELD;
              ends_row = row_end;
              break;
            case IN_FIELD:
              s = (ch == delim || row_end) ? AT_FIELD : IN_FIELD;
              ends_row = row_end;
              break;
            case IN_QUOTES:
              s = ch == '"' ? AFTER_QUOTE : IN_QUOTES;
              break;
            case AFTER_QUOTE:
              s = ch == '"' ? IN_QUOTES : (ch == delim || row_end) ? AT_FIELD : DEAD;
              ends_row = row_end;
              break;
            default:
              continue;
            }
          state[h] = s;
          if (ends_row && found[h] == NULL)
            found[h] = p + 1 + (ch == '\r' && p + 1 < e && p[1] == '\n');
        }
      /* The answer is known when every live state has found a row start and
       * they agree from here on, or when those that have not are in quotes
       * (and none just met one) with no quote left in the window. */
      for (guint h = 0; h < N_STATES; h++)
        {
          if (state[h] == DEAD)
            continue;
          if (found[h] == NULL || (agreed >= 0 && state[h] != agreed))
            settled = FALSE;
          agreed = state[h];
          if ((found[h] == NULL && state[h] != IN_QUOTES) || state[h] == AFTER_QUOTE)
            undecided_in_quotes = FALSE;
        }
      if (settled || agreed < 0)
        break;
      if (undecided_in_quotes)
        {
          if (next_quote <= p)
            {
              next_quote = memchr (p + 1, '"', limit - (p + 1));
              if (next_quote == NULL)
                break;
            }
        }
    }
  for (guint h = 0; h < N_STATES; h++)
    if (state[h] != DEAD && found[h])
      return found[h];
  return NULL;
}

/* Chunks */

typedef enum
{
  CHUNK_PENDING,
  CHUNK_OK,
  CHUNK_ERROR,     /* an error in its text, or in text it only guessed was its own */
  CHUNK_CANCELLED, /* with the cancellation error */
  CHUNK_ABORTED,   /* stopped for an error elsewhere */
} ChunkStatus;

/* What a chunk's column needs to join the others. */
typedef enum
{
  JOIN_AS_IS,
  JOIN_REPARSE_STRING,
  JOIN_REPARSE_DOUBLE,
} JoinAction;

typedef struct
{
  CsvReader r; /* its own tokenizer and columns */
  /* where it was parsed from: a guess until checked, NULL when there was
   * none; it ends at the first row start at or past stop, in end */
  const char *start;
  const char *stop;
  const char *end;
  const char *guess; /* a body still arriving: where to guess the start once the text is there */
  gsize n_lines;     /* line breaks in [start, end) */
  ChunkStatus status;
  GError *error;
  JoinAction *actions; /* per column, when it must parse some again */
  /* chunks side by side are written by different threads: keep the fields
   * of one off the cache lines of the next */
  char padding[128];
} Chunk;

typedef struct
{
  CsvReader *whole;
  Chunk *chunks;
  guint n_chunks;
  guint n_threads;
  guint *task_chunks; /* this round's tasks: indices into chunks */
  /* chunks [0, checked) are known to start at a row start and read fine;
   * under mutex */
  GMutex mutex;
  guint checked;
  gint *shared_string; /* per column, atomic: see CsvReader */
  gint abort;          /* atomic */
  gsize margin;        /* how far past its stop an arriving chunk waits */
  CsvColState *merged; /* per column, once joined */
} Split;

static void
chunk_init (Chunk *chunk, Split *split)
{
  CsvReader *whole = split->whole;
  CsvReader *r = &chunk->r;

  memset (chunk, 0, sizeof *chunk);
  r->options = whole->options;
  tess_csv_tokenizer_init (&r->tok, whole->tok.data, whole->tok.end - whole->tok.data, whole->tok.delim);
  r->n_cols = whole->n_cols;
  r->names = whole->names;
  r->skip = whole->skip;
  r->release = whole->release;
  r->cancellable = whole->cancellable;
  r->shared_string = split->shared_string;
  r->abort = &split->abort;
  r->growing = whole->growing;
}

static void
chunk_clear (Chunk *chunk)
{
  for (guint c = 0; chunk->r.cols && c < chunk->r.n_cols; c++)
    tess_column_builder_free (chunk->r.cols[c].builder);
  g_free (chunk->r.cols);
  g_free (chunk->actions);
  tess_csv_tokenizer_clear (&chunk->r.tok);
  g_clear_error (&chunk->error);
}

/* Records how @chunk ended; then moves the frontier of chunks known to
 * start right and read fine past those that now are, shares the columns
 * they found to be text, and stops every chunk when one known to start
 * right met an error. Any thread. */
static void
split_chunk_done (Split *split, Chunk *chunk, ChunkStatus status)
{
  g_mutex_lock (&split->mutex);
  chunk->status = status;
  while (split->checked < split->n_chunks)
    {
      Chunk *next = &split->chunks[split->checked];
      const char *true_start = split->checked == 0 ? split->whole->body : split->chunks[split->checked - 1].end;

      if (next->start != true_start || next->status == CHUNK_PENDING)
        break;
      if (next->status != CHUNK_OK)
        {
          if (next->status == CHUNK_ERROR)
            g_atomic_int_set (&split->abort, 1);
          break;
        }
      for (guint c = 0; c < next->r.n_cols; c++)
        if (next->r.cols[c].state == CSV_COL_STRING && !next->r.options->strings_only)
          g_atomic_int_set (&split->shared_string[c], 1);
      split->checked++;
    }
  g_mutex_unlock (&split->mutex);
}

/* Parses the chunk from its start with typed inference, as the one-thread
 * pass parses a body. Runs on a worker thread. */
static ChunkStatus
chunk_parse_text (Split *split, Chunk *chunk)
{
  CsvReader *r = &chunk->r;
  int res = CSV_APPEND_ABORT;
  ChunkStatus status;

  /* made here, by the thread that fills them, so that no two threads
   * write to one cache line: builders change with every row */
  if (r->cols == NULL)
    {
      r->cols = g_new0 (CsvCol, r->n_cols);
      for (guint c = 0; c < r->n_cols; c++)
        r->cols[c].builder = tess_column_builder_new (r->names[c], TESS_COLUMN_STRING, 0);
    }
  r->body = chunk->start;
  r->stop = chunk->stop;
  r->body_line = 0;
  for (guint c = 0; c < r->n_cols; c++)
    r->cols[c].forced_string = FALSE;
  if (g_cancellable_set_error_if_cancelled (r->cancellable, &chunk->error))
    res = CSV_APPEND_ERROR;
  else if (!g_atomic_int_get (&split->abort))
    for (guint attempt = 0;; attempt++)
      {
        tess_csv_reader_reset_columns (r);
        res = tess_csv_reader_parse_body (r, &chunk->error);
        if (res != CSV_APPEND_RESTART)
          break;
        g_assert (attempt <= r->n_cols);
      }
  switch (res)
    {
    case CSV_APPEND_OK:
      chunk->end = r->end_pos;
      chunk->n_lines = r->tok.line;
      status = CHUNK_OK;
      if (r->release)
        tess_csv_reader_release (r, r->end_pos);
      /* what the builders populated ahead would wait for the join unused */
      for (guint c = 0; c < r->n_cols; c++)
        tess_column_builder_trim (r->cols[c].builder);
      break;
    case CSV_APPEND_ABORT:
      status = CHUNK_ABORTED;
      break;
    default:
      status = g_error_matches (chunk->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? CHUNK_CANCELLED : CHUNK_ERROR;
      break;
    }
  return status;
}

/* How far past its stop a chunk of a body still arriving waits for text:
 * its last row ends there, but for very long rows. */
#define ARRIVAL_MARGIN (1024 * 1024)

/* Parses a chunk of a body still arriving once its text is there. The pass
 * reads only what has arrived: when it ran into the end of that (a row cut
 * short, an error in half a row), it is made again over the whole body, so
 * the result is never that of a cut text. Runs on a worker thread. */
static ChunkStatus
chunk_parse_arriving (Split *split, Chunk *chunk)
{
  CsvReader *r = &chunk->r;
  gsize length;
  const char *base = tess_growing_body_get_data (r->growing, &length);
  const char *whole_end = split->whole->tok.end;
  const char *upto = MIN (chunk->stop + split->margin, whole_end);

  for (;;)
    {
      gsize arrived = tess_growing_body_wait (r->growing, upto - base, &chunk->error);
      const char *arrived_end = MIN (base + arrived, whole_end);
      ChunkStatus status;

      if (arrived == 0)
        return CHUNK_CANCELLED; /* the download failed: the read fails with it */
      if (chunk->guess)
        {
          chunk->start = guess_row_start (chunk->guess - 1, arrived_end, r->tok.delim);
          chunk->guess = NULL;
          if (chunk->start == NULL)
            return CHUNK_PENDING; /* parsed from its predecessor's end, later */
        }
      r->tok.end = arrived_end;
      status = chunk_parse_text (split, chunk);
      r->tok.end = whole_end;
      if (arrived_end == whole_end || (status == CHUNK_OK && chunk->end < arrived_end) || status == CHUNK_ABORTED ||
          status == CHUNK_CANCELLED)
        return status;
      g_clear_error (&chunk->error);
      upto = whole_end;
    }
}

static void
chunk_parse (Split *split, Chunk *chunk)
{
  split_chunk_done (split, chunk,
                    chunk->r.growing ? chunk_parse_arriving (split, chunk) : chunk_parse_text (split, chunk));
}

/* Runs on a worker thread. */
static void
chunk_parse_task (gpointer data, guint task)
{
  Split *split = data;

  chunk_parse (split, &split->chunks[split->task_chunks[task]]);
}

/* Parses again, as text or as doubles, the columns of the chunk that need it
 * to join (chunk->actions), and only those: the others skip their fields.
 * The text is the same as the first time, so it reads without error.
 * Runs on a worker thread. */
static void
chunk_reparse (Split *split, Chunk *chunk)
{
  CsvReader *r = &chunk->r;
  CsvCol *kept = r->cols;
  gsize n_rows = r->n_rows, n_ragged = r->n_ragged, first_ragged_line = r->first_ragged_line;
  g_autofree CsvCol *cols = g_new0 (CsvCol, r->n_cols);
  g_autoptr (GError) error = NULL;
  int res;

  for (guint c = 0; c < r->n_cols; c++)
    switch (chunk->actions[c])
      {
      case JOIN_REPARSE_STRING:
        cols[c].state = CSV_COL_STRING;
        cols[c].builder = tess_column_builder_new (r->names[c], TESS_COLUMN_STRING, n_rows);
        break;
      case JOIN_REPARSE_DOUBLE:
        cols[c].state = CSV_COL_DOUBLE;
        cols[c].builder = tess_column_builder_new (r->names[c], TESS_COLUMN_DOUBLE, n_rows);
        break;
      case JOIN_AS_IS:
      default:
        cols[c].state = CSV_COL_TURNED;
        break;
      }
  r->cols = cols;
  r->body = chunk->start;
  r->stop = chunk->stop;
  r->body_line = 0;
  r->n_rows = 0;
  r->n_ragged = 0;
  r->restart = FALSE;
  r->abort = NULL;
  res = tess_csv_reader_parse_body (r, &error);
  /* The same text parses the same way, but a mapped file written over in
   * place may hold other text than the first time: then the one-thread
   * parse reads it all again, as it does after an error, and the read ends
   * as any read of a file changed under it. */
  if (res == CSV_APPEND_OK && (r->n_rows != n_rows || r->end_pos != chunk->end))
    res = CSV_APPEND_ERROR;
  if (res == CSV_APPEND_OK)
    {
      if (r->release)
        tess_csv_reader_release (r, r->end_pos);
      for (guint c = 0; c < r->n_cols; c++)
        if (cols[c].builder)
          {
            tess_column_builder_free (kept[c].builder);
            kept[c].builder = g_steal_pointer (&cols[c].builder);
            kept[c].state = cols[c].state;
          }
    }
  else
    {
      /* cancelled, the only way this pass fails; else the one-thread parse
       * reads the body */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          chunk->status = CHUNK_CANCELLED;
          g_propagate_error (&chunk->error, g_steal_pointer (&error));
        }
      else
        chunk->status = CHUNK_ERROR;
      for (guint c = 0; c < r->n_cols; c++)
        tess_column_builder_free (cols[c].builder);
    }
  r->cols = kept;
  r->n_rows = n_rows;
  r->n_ragged = n_ragged;
  r->first_ragged_line = first_ragged_line;
}

/* Runs on a worker thread. */
static void
chunk_reparse_task (gpointer data, guint task)
{
  Split *split = data;

  chunk_reparse (split, &split->chunks[split->task_chunks[task]]);
}

/* Joining */

static TessColumnType
column_type_of (CsvColState state)
{
  switch (state)
    {
    case CSV_COL_BOOL:
      return TESS_COLUMN_BOOL;
    case CSV_COL_INT:
      return TESS_COLUMN_INT64;
    case CSV_COL_DOUBLE:
      return TESS_COLUMN_DOUBLE;
    case CSV_COL_DATE:
      return TESS_COLUMN_DATE;
    case CSV_COL_TIMESTAMP:
      return TESS_COLUMN_TIMESTAMP;
    case CSV_COL_STRING:
    default:
      return TESS_COLUMN_STRING;
    }
}

/* The type the one-thread inference gives a column that holds values of
 * both types: what a column of type @a turns into when it meets a value of
 * type @b. */
static CsvColState
col_state_join (CsvColState a, CsvColState b)
{
  if (a == CSV_COL_UNKNOWN)
    return b;
  if (b == CSV_COL_UNKNOWN || a == b)
    return a;
  if ((a == CSV_COL_INT && b == CSV_COL_DOUBLE) || (a == CSV_COL_DOUBLE && b == CSV_COL_INT))
    return CSV_COL_DOUBLE;
  if ((a == CSV_COL_DATE && b == CSV_COL_TIMESTAMP) || (a == CSV_COL_TIMESTAMP && b == CSV_COL_DATE))
    return CSV_COL_TIMESTAMP;
  return CSV_COL_STRING;
}

/* Decides each column's type, and which chunks' columns only their text
 * can bring to it: chunk_reparse parses those again. Returns how many
 * chunks must. Main reading thread. */
static guint
split_plan_join (Split *split)
{
  guint n_cols = split->whole->n_cols;
  guint n_reparse = 0;

  split->merged = g_new0 (CsvColState, n_cols);
  for (guint c = 0; c < n_cols; c++)
    {
      CsvColState merged = CSV_COL_UNKNOWN;
      guint first_double = G_MAXUINT;

      for (guint k = 0; k < split->n_chunks; k++)
        {
          CsvColState state = split->chunks[k].r.cols[c].state;
          merged = col_state_join (merged, state);
          if (state == CSV_COL_DOUBLE && first_double == G_MAXUINT)
            first_double = k;
        }
      /* a column of nulls only is text, as the one-thread reader leaves it */
      if (merged == CSV_COL_UNKNOWN)
        merged = CSV_COL_STRING;
      split->merged[c] = merged;
      for (guint k = 0; k < split->n_chunks; k++)
        {
          Chunk *chunk = &split->chunks[k];
          CsvCol *col = &chunk->r.cols[c];
          JoinAction action = JOIN_AS_IS;

          if (col->state == CSV_COL_UNKNOWN)
            continue; /* nulls fit: column_join_task types them */
          if (merged == CSV_COL_STRING && col->state != CSV_COL_STRING)
            action = JOIN_REPARSE_STRING;
          else if (merged == CSV_COL_DOUBLE && k > first_double && col->negative_zero)
            /* after the first double, the one-thread reader reads "-0" as a
             * double, -0.0; this chunk read it as the integer 0 */
            action = JOIN_REPARSE_DOUBLE;
          if (action != JOIN_AS_IS)
            {
              if (chunk->actions == NULL)
                {
                  chunk->actions = g_new0 (JoinAction, n_cols);
                  split->task_chunks[n_reparse++] = k;
                }
              chunk->actions[c] = action;
            }
        }
    }
  return n_reparse;
}

/* Brings every chunk's column @c to its type, in place as the one-thread
 * reader converts (those parsed again already have it), and appends them to
 * the first chunk's, which becomes the whole body's. Runs on a worker
 * thread. */
static void
column_join_task (gpointer data, guint c)
{
  Split *split = data;
  CsvColState merged = split->merged[c];
  g_autofree TessColumnBuilder **more = g_new (TessColumnBuilder *, split->n_chunks);
  TessColumnBuilder *joined;

  for (guint k = 0; k < split->n_chunks; k++)
    {
      CsvCol *col = &split->chunks[k].r.cols[c];

      if (col->state == CSV_COL_UNKNOWN)
        tess_csv_col_start (col, merged, column_type_of (merged));
      else if (col->state != merged)
        {
          g_assert ((merged == CSV_COL_DOUBLE && col->state == CSV_COL_INT) ||
                    (merged == CSV_COL_TIMESTAMP && col->state == CSV_COL_DATE));
          tess_column_builder_convert (col->builder, column_type_of (merged));
          col->state = merged;
        }
    }
  joined = g_steal_pointer (&split->chunks[0].r.cols[c].builder);
  for (guint k = 1; k < split->n_chunks; k++)
    more[k - 1] = g_steal_pointer (&split->chunks[k].r.cols[c].builder);
  tess_column_builder_join (joined, more, split->n_chunks - 1);
  tess_column_builder_free (split->whole->cols[c].builder);
  split->whole->cols[c].builder = joined;
  split->whole->cols[c].state = split->merged[c];
}

/* Reading */

static gboolean
split_cancelled (Split *split, GError **error)
{
  for (guint k = 0; k < split->n_chunks; k++)
    if (split->chunks[k].status == CHUNK_CANCELLED)
      {
        g_propagate_error (error, g_steal_pointer (&split->chunks[k].error));
        return TRUE;
      }
  return FALSE;
}

/* Parses every chunk, then again those that did not start where their
 * predecessor ended, from there, until every chunk is known to start at a
 * row start. FALSE when a chunk known to start right met an error (@error
 * unset: the one-thread pass reads the body) or when cancelled (@error set).
 * Main reading thread. */
static gboolean
split_parse_chunks (Split *split, TessCsvSplit *stats, GError **error)
{
  guint n_tasks = 0;

  for (guint k = 0; k < split->n_chunks; k++)
    if (split->chunks[k].start || split->chunks[k].guess)
      split->task_chunks[n_tasks++] = k;
  for (guint round = 0;; round++)
    {
      const char *expected = split->whole->body;
      gboolean all_checked = TRUE;

      tess_run_tasks (chunk_parse_task, split, n_tasks, split->n_threads);
      if (split_cancelled (split, error))
        return FALSE;
      n_tasks = 0;
      for (guint k = 0; k < split->n_chunks; k++)
        {
          Chunk *chunk = &split->chunks[k];
          gboolean starts_right = expected != NULL && chunk->start == expected;

          if (all_checked && starts_right)
            {
              if (chunk->status != CHUNK_OK)
                return FALSE; /* an error in its own text */
              expected = chunk->end;
              continue;
            }
          all_checked = FALSE;
          if (!starts_right && expected != NULL)
            {
              /* its start was a wrong guess, or its predecessor's was */
              chunk->start = expected;
              chunk->status = CHUNK_PENDING;
              g_clear_error (&chunk->error);
              split->task_chunks[n_tasks++] = k;
              expected = NULL;
              continue;
            }
          expected = chunk->status == CHUNK_OK ? chunk->end : NULL;
        }
      if (all_checked)
        return TRUE;
      g_assert (n_tasks > 0 && round < split->n_chunks);
      if (stats)
        stats->n_reruns += n_tasks;
    }
}

CsvSplitResult
tess_csv_read_body_split (CsvReader *whole, TessCsvSplit *stats, GError **error)
{
  const char *body = whole->body, *e = whole->tok.end;
  gsize length = e - body;
  guint n_threads = stats && stats->max_threads ? stats->max_threads : g_get_num_processors ();
  gsize chunk_bytes = stats ? stats->chunk_bytes : 0;
  char delim = whole->tok.delim;
  Split split = { 0 };
  CsvSplitResult result = CSV_SPLIT_WHOLE;
  guint n_reparse;

  if (stats)
    {
      stats->n_chunks = 0;
      stats->n_reruns = 0;
      stats->n_reparsed = 0;
      stats->fell_back = FALSE;
    }
  /* a delimiter that is also a quote or a line break: no row starts to find */
  if (delim == '"' || delim == '\n' || delim == '\r')
    return CSV_SPLIT_WHOLE;
  if (chunk_bytes == 0)
    {
      if (n_threads < 2 || length < SPLIT_MIN_BODY)
        return CSV_SPLIT_WHOLE;
      chunk_bytes =
          MAX ((length + n_threads * CHUNKS_PER_THREAD - 1) / (n_threads * CHUNKS_PER_THREAD), SPLIT_MIN_BODY / 4);
      /* a chunk costs a builder per column: very wide rows make fewer */
      chunk_bytes = MAX (chunk_bytes, (gsize) whole->n_cols * 4096);
    }
  if (length <= chunk_bytes)
    return CSV_SPLIT_WHOLE;

  split.whole = whole;
  split.n_threads = n_threads;
  split.margin = stats && stats->arrival_margin ? stats->arrival_margin : ARRIVAL_MARGIN;
  split.n_chunks = (length + chunk_bytes - 1) / chunk_bytes;
  split.chunks = g_new (Chunk, split.n_chunks);
  split.task_chunks = g_new (guint, split.n_chunks);
  split.shared_string = g_new0 (gint, whole->n_cols);
  g_mutex_init (&split.mutex);
  for (guint k = 0; k < split.n_chunks; k++)
    {
      Chunk *chunk = &split.chunks[k];
      const char *nominal = body + (gsize) k * chunk_bytes;

      chunk_init (chunk, &split);
      chunk->stop = k + 1 < split.n_chunks ? body + (gsize) (k + 1) * chunk_bytes : e;
      if (k == 0)
        chunk->start = body;
      else if (whole->growing)
        chunk->guess = nominal; /* once the text there has arrived */
      else
        chunk->start = guess_row_start (nominal - 1, e, delim);
    }
  if (stats)
    stats->n_chunks = split.n_chunks;

  if (!split_parse_chunks (&split, stats, error))
    {
      if (error && *error)
        result = CSV_SPLIT_CANCELLED;
      else if (stats)
        stats->fell_back = TRUE;
      goto out;
    }
  n_reparse = split_plan_join (&split);
  if (stats)
    stats->n_reparsed = n_reparse;
  tess_run_tasks (chunk_reparse_task, &split, n_reparse, n_threads);
  if (split_cancelled (&split, error))
    {
      result = CSV_SPLIT_CANCELLED;
      goto out;
    }
  for (guint k = 0; k < split.n_chunks; k++)
    if (split.chunks[k].status != CHUNK_OK)
      {
        if (stats)
          stats->fell_back = TRUE;
        goto out;
      }
  tess_run_tasks (column_join_task, &split, whole->n_cols, n_threads);

  whole->n_rows = 0;
  whole->n_ragged = 0;
  {
    gsize line = whole->body_line;
    for (guint k = 0; k < split.n_chunks; k++)
      {
        Chunk *chunk = &split.chunks[k];
        if (chunk->r.n_ragged > 0 && whole->n_ragged == 0)
          whole->first_ragged_line = line + chunk->r.first_ragged_line;
        whole->n_rows += chunk->r.n_rows;
        whole->n_ragged += chunk->r.n_ragged;
        line += chunk->n_lines;
      }
  }
  result = CSV_SPLIT_DONE;

out:
  for (guint k = 0; k < split.n_chunks; k++)
    chunk_clear (&split.chunks[k]);
  g_free (split.chunks);
  g_free (split.task_chunks);
  g_free (split.shared_string);
  g_free (split.merged);
  g_mutex_clear (&split.mutex);
  return result;
}
