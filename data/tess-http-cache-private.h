/* tess-http-cache-private.h: Tessera's disk cache of HTTP answers.
 *
 * Sources keep the bodies they download here, with the validators (ETag,
 * Last-Modified) that let the next load ask the server "has it changed?" and
 * take a 304 instead of the whole body again. Bodies of any size are kept, up
 * to a disk budget; the least recently used go first.
 *
 * The rules it keeps:
 * - An entry is one file: a header with a magic and a version, the metadata,
 *   then the body. It appears under its name, complete, in one rename, or not
 *   at all: a download is written to a temporary file (unnamed where the file
 *   system allows) that only a commit links into place. An interrupted
 *   download, even by SIGKILL, leaves no entry; a named temporary left by a
 *   process that died is removed the next time a cache opens the directory.
 * - A lookup maps the body read-only; an entry that is corrupt or truncated
 *   is a miss, and is removed.
 * - Nothing here fails a load: a disk that is full or a directory that cannot
 *   be written makes a miss or a store that is skipped, logged with g_debug.
 *
 * Not installed; data/ only. Every function is thread-safe; a cache outlives
 * the writers made from it, and one writer is used by one thread at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TESS_HTTP_CACHE_DEFAULT_MAX_BYTES ((guint64) 2 << 30)

typedef struct _TessHttpCache TessHttpCache;
typedef struct _TessHttpCacheEntry TessHttpCacheEntry;
typedef struct _TessHttpCacheWriter TessHttpCacheWriter;

/* Opens the cache kept in @directory (made if missing) with a budget of
 * @max_bytes on disk, and removes the temporaries that dead processes left
 * there. Never fails: a directory that cannot be made or written gives a cache
 * that misses and stores nothing. */
TessHttpCache *tess_http_cache_new (const char *directory, guint64 max_bytes);
/* Forgets @cache; what it stored stays on disk. */
void tess_http_cache_free (TessHttpCache *cache);

const char *tess_http_cache_get_directory (TessHttpCache *cache);
/* Sets the budget and evicts the least recently used entries above it.
 * 0 stores nothing and removes every entry. */
void tess_http_cache_set_max_bytes (TessHttpCache *cache, guint64 max_bytes);
guint64 tess_http_cache_get_max_bytes (TessHttpCache *cache);
/* Bytes of the entries on disk (temporaries not counted), from the directory
 * as it is now: other processes may share it. */
guint64 tess_http_cache_get_bytes (TessHttpCache *cache);
/* Removes every entry and every temporary a dead process left. */
void tess_http_cache_clear (TessHttpCache *cache);

/* The entry stored for @key (an opaque string: the URL and whatever else
 * varies the answer, never a secret), or NULL. A hit counts as a use for the
 * eviction order. transfer full */
TessHttpCacheEntry *tess_http_cache_lookup (TessHttpCache *cache, const char *key);
/* Removes the entry of @key, if any: one the server says has changed and
 * that no new answer replaces. */
void tess_http_cache_remove (TessHttpCache *cache, const char *key);

TessHttpCacheEntry *tess_http_cache_entry_ref (TessHttpCacheEntry *entry);
void tess_http_cache_entry_unref (TessHttpCacheEntry *entry);
/* The validators and content type stored with the body; NULL when the answer
 * had none. Owned by @entry. */
const char *tess_http_cache_entry_get_etag (TessHttpCacheEntry *entry);
const char *tess_http_cache_entry_get_last_modified (TessHttpCacheEntry *entry);
const char *tess_http_cache_entry_get_content_type (TessHttpCacheEntry *entry);
/* The body, a read-only mapping of the entry's file that stays valid when the
 * entry is replaced or evicted. transfer none: ref it to keep it longer than
 * @entry. */
GBytes *tess_http_cache_entry_get_body (TessHttpCacheEntry *entry);

/* Starts storing an answer for @key. @expected_length is the body's length
 * when the server announced it (0: unknown); an answer larger than the budget
 * is refused here when it is known. Returns NULL with @error set when nothing
 * can be stored; the download goes on without the cache. */
TessHttpCacheWriter *tess_http_cache_begin (TessHttpCache *cache,
                                            const char *key,
                                            const char *etag,
                                            const char *last_modified,
                                            const char *content_type,
                                            guint64 expected_length,
                                            GError **error);
/* Appends body bytes. Returns FALSE with @error set once the writer has given
 * up (a write failed, the body outgrew the budget or its announced length, or
 * tess_http_cache_abort_all() ran): its temporary is gone already, and every
 * later call fails too; end it with tess_http_cache_writer_abort(). */
gboolean tess_http_cache_writer_write (TessHttpCacheWriter *writer, const void *data, gsize length, GError **error);
/* Installs the entry in one rename, replacing any entry of the same key, then
 * evicts the least recently used entries above the budget. Frees @writer;
 * on FALSE nothing was stored and nothing is left behind. */
gboolean tess_http_cache_writer_commit (TessHttpCacheWriter *writer, GError **error);
/* Drops what was written and frees @writer; nothing is left behind. */
void tess_http_cache_writer_abort (TessHttpCacheWriter *writer);

/* Whether an answer whose Cache-Control header is @cache_control (NULL when
 * there is none) may be stored: FALSE for no-store. */
gboolean tess_http_cache_may_store (const char *cache_control);

/* For shutdown: makes every writer of this process give up and removes its
 * temporary file. Writers started later work as usual. Call it from a thread
 * (a g_unix_signal_add() callback, say), not from a signal handler. */
void tess_http_cache_abort_all (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessHttpCache, tess_http_cache_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessHttpCacheEntry, tess_http_cache_entry_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessHttpCacheWriter, tess_http_cache_writer_abort)

G_END_DECLS
