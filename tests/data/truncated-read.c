/* truncated-read.c: a data file truncated and rewritten while it is read.
 *
 * A program that rewrites a CSV in place (truncate, then write) while a
 * live dashboard reads it must cost the read an error or a frame, never the
 * process: a file mapped from disk and cut short under the reader would
 * raise SIGBUS on the pages it lost. The reader here reads a 4 MiB file
 * over and over while another thread cuts it to a quarter and writes it
 * back, every few milliseconds: read into memory, as a file of its size is,
 * and mapped, as a larger file is.
 */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "tess-cache.h"
#include "tess-csv.h"
#include "tess-csv-private.h"
#include "tess-json-reader.h"
#include "tess-source.h"
#include "tess-mapped-file-private.h"
#include "tess-test-dir.h"

typedef struct
{
  const char *path;
  GString *contents;
  gint stop;
  gint rewrites;
} Rewriter;

/* Writes @text over the file @fd from its start, in place. */
static void
write_over (int fd, const GString *text)
{
  for (gsize done = 0; done < text->len;)
    {
      ssize_t n = pwrite (fd, text->str + done, text->len - done, done);

      g_assert_cmpint (n, >, 0);
      done += n;
    }
}

/* Runs on its own thread: truncates the file and writes it back, in place,
 * until told to stop. */
static gpointer
rewrite_thread (gpointer data)
{
  Rewriter *rewriter = data;

  while (!g_atomic_int_get (&rewriter->stop))
    {
      int fd = open (rewriter->path, O_WRONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      /* Cut to a quarter: a read under way loses the rest of its pages. */
      g_assert_cmpint (ftruncate (fd, rewriter->contents->len / 4), ==, 0);
      g_usleep (2000);
      write_over (fd, rewriter->contents);
      close (fd);
      g_atomic_int_inc (&rewriter->rewrites);
      g_usleep (3000);
    }
  return NULL;
}

/* @mapped: files of any size are mapped; @source: loaded through
 * tess_source_load() from a name that does not tell the format, so the
 * source reads the file whole and sniffs it, instead of the CSV reader. */
static void
truncated_while_read (gboolean mapped, gboolean source)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-truncated-XXXXXX");
  g_autofree char *path = NULL;
  g_autoptr (GString) contents = g_string_new ("day,price,note\n");
  Rewriter rewriter = { 0 };
  GThread *thread;
  guint frames = 0, errors = 0;
  /* the source waits for a changing file to settle: fewer loads */
  guint loads = source ? 20 : 60;

  for (guint row = 0; contents->len < 4 * 1024 * 1024; row++)
    g_string_append_printf (contents, "%u,%u.25,row number %u of the price list\n", row, row % 977, row);
  path = tess_test_dir_write_file (dir, source ? "prices.data" : "prices.csv", contents->str);
  tess_mapped_file_set_read_whole_max (mapped ? 0 : 64 * 1024 * 1024);
  rewriter.path = path;
  rewriter.contents = contents;
  thread = g_thread_new ("rewriter", rewrite_thread, &rewriter);

  for (guint i = 0; i < loads; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) frame = NULL;

      tess_cache_clear ();
      frame = source ? tess_source_load (path, NULL, NULL, NULL, NULL, &error)
                     : tess_csv_read_file (path, NULL, NULL, NULL, &error);

      /* Either is fine while the file changes; the process lives on. */
      g_assert_true ((frame == NULL) != (error == NULL));
      if (frame != NULL)
        frames++;
      else
        errors++;
    }
  g_atomic_int_set (&rewriter.stop, TRUE);
  g_thread_join (thread);
  g_test_message ("%u frames, %u errors, %d rewrites", frames, errors, rewriter.rewrites);
  g_assert_cmpuint (frames + errors, ==, loads);
  tess_mapped_file_set_read_whole_max (64 * 1024 * 1024);
  tess_test_dir_remove (dir);
}

static void
test_truncated_while_read (void)
{
  truncated_while_read (FALSE, FALSE);
}

static void
test_truncated_while_mapped (void)
{
  truncated_while_read (TRUE, FALSE);
}

static void
test_source_truncated_while_mapped (void)
{
  truncated_while_read (TRUE, TRUE);
}

/* Writes the two texts over the file in turn, in place, at random
 * intervals, until told to stop. Runs on its own thread. */
typedef struct
{
  const char *path;
  GString *texts[2];
  gint stop;
} Alternator;

static gpointer
alternate_thread (gpointer data)
{
  Alternator *alternator = data;

  for (guint k = 0; !g_atomic_int_get (&alternator->stop); k++)
    {
      int fd = open (alternator->path, O_WRONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      write_over (fd, alternator->texts[k % 2]);
      close (fd);
      g_usleep (g_random_int_range (1000, 40000));
    }
  return NULL;
}

/* A mapped file written over in place, at its length, with other rows while
 * it is read in chunks: a chunk parsed again to join the columns (one turned
 * to text late in the file) can meet other text than the first time. That
 * reads as a frame or an error, as any change under a read does, and the
 * reader does not take it for a bug of its own. */
static void
test_rewritten_while_mapped (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-rewritten-XXXXXX");
  Alternator alternator = { NULL, { g_string_new ("day,price,note\n"), g_string_new ("day,price,note\n") }, 0 };
  guint frames = 0, errors = 0;
  GThread *thread;

  for (guint row = 0; alternator.texts[0]->len < 3 * 1024 * 1024; row++)
    g_string_append_printf (alternator.texts[0], "%u,%u.25,%s\n", row, row % 977,
                            alternator.texts[0]->len > 2800 * 1024 && row % 5 == 0 ? "n/a" : "12345");
  for (guint row = 0; alternator.texts[1]->len < alternator.texts[0]->len - 32; row++)
    g_string_append_printf (alternator.texts[1], "%u,%u.5,%u\n", row, row % 97, row % 10);
  while (alternator.texts[1]->len < alternator.texts[0]->len)
    g_string_append_c (alternator.texts[1], '\n');
  alternator.path = tess_test_dir_write_file (dir, "notes.csv", alternator.texts[0]->str);
  tess_mapped_file_set_read_whole_max (0);
  thread = g_thread_new ("alternator", alternate_thread, &alternator);
  for (guint i = 0; i < 40; i++)
    {
      TessCsvSplit split = { .max_threads = 2, .chunk_bytes = 256 * 1024 };
      g_autoptr (GError) error = NULL;
      g_autoptr (TessFrame) frame = tess_csv_read_file_split (alternator.path, NULL, &split, NULL, NULL, &error);

      g_assert_true ((frame == NULL) != (error == NULL));
      if (frame != NULL)
        frames++;
      else
        errors++;
    }
  g_atomic_int_set (&alternator.stop, TRUE);
  g_thread_join (thread);
  g_test_message ("%u frames, %u errors", frames, errors);
  tess_mapped_file_set_read_whole_max (64 * 1024 * 1024);
  g_free ((char *) alternator.path);
  g_string_free (alternator.texts[0], TRUE);
  g_string_free (alternator.texts[1], TRUE);
  tess_test_dir_remove (dir);
}

/* A mapped file cut short: the pages it lost read as zeros and the mapping
 * says it was cut; the readers then fail with an error that says so. */
static void
test_cut_under_mapping (void)
{
  g_autofree char *dir = tess_test_dir_new ("tessera-cut-XXXXXX");
  g_autofree char *path = NULL;
  g_autoptr (GString) contents = g_string_new ("");
  g_autoptr (GError) error = NULL;
  const char *data;
  gsize length, zeros = 0;

  for (guint row = 0; contents->len < 4 * 1024 * 1024; row++)
    g_string_append_printf (contents, "{\"day\": %u, \"note\": \"row %u\"}\n", row, row);
  path = tess_test_dir_write_file (dir, "days.ndjson", contents->str);
  tess_mapped_file_set_read_whole_max (0);

  data = tess_mapped_file_open (path, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, contents->len);
  g_assert_false (tess_mapped_file_was_cut (data));
  g_assert_cmpint (truncate (path, 1024 * 1024), ==, 0);
  for (gsize i = 0; i < length; i++)
    zeros += data[i] == 0;
  g_assert_cmpuint (zeros, ==, length - 1024 * 1024);
  g_assert_true (tess_mapped_file_was_cut (data));
  tess_mapped_file_close (data, length);

  /* a file read whole, not cut, is not */
  g_assert_true (g_file_set_contents (path, contents->str, contents->len, NULL));
  data = tess_mapped_file_open (path, &length, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < length; i++)
    zeros += data[i] == 0;
  g_assert_false (tess_mapped_file_was_cut (data));
  tess_mapped_file_close (data, length);

  tess_mapped_file_set_read_whole_max (64 * 1024 * 1024);
  tess_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Csv/truncated-while-read", test_truncated_while_read);
  g_test_add_func ("/Csv/truncated-while-mapped", test_truncated_while_mapped);
  g_test_add_func ("/Csv/cut-under-mapping", test_cut_under_mapping);
  g_test_add_func ("/Csv/rewritten-while-mapped", test_rewritten_while_mapped);
  g_test_add_func ("/Source/truncated-while-mapped", test_source_truncated_while_mapped);
  return g_test_run ();
}
