/* tess-memory.h: the budget for loaded data.
 *
 * One budget for the whole process: the bodies of downloads, charged as their
 * bytes arrive, and the frames read from sources, for as long as they live.
 * A load that would cross it fails with a clear error in the slot of the
 * source that crossed it, and gives back what it had; the rest of the
 * dashboard goes on. The default is a quarter of physical memory. Every
 * function here is thread-safe.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * tess_memory_set_limit:
 *
 * Sets the budget in bytes; 0 restores the default. Loads already past the
 * new budget fail with their next bytes.
 */
void tess_memory_set_limit (guint64 bytes);
/**
 * tess_memory_get_limit:
 *
 * The budget in bytes.
 */
guint64 tess_memory_get_limit (void);
/**
 * tess_memory_get_default_limit:
 *
 * A quarter of physical memory.
 */
guint64 tess_memory_get_default_limit (void);
/**
 * tess_memory_get_used:
 *
 * Bytes charged now.
 */
guint64 tess_memory_get_used (void);

/**
 * tess_memory_charge:
 *
 * Charges @bytes for @what (a URI, for the message), or fails with
 * G_IO_ERROR_NO_SPACE and charges nothing when they would cross the budget.
 */
gboolean tess_memory_charge (guint64 bytes, const char *what, GError **error);
/**
 * tess_memory_charge_anyway:
 *
 * Charges @bytes even past the budget (for memory already in use).
 */
void tess_memory_charge_anyway (guint64 bytes);
/**
 * tess_memory_release:
 *
 * Gives back @bytes charged before.
 */
void tess_memory_release (guint64 bytes);

/**
 * tess_memory_parse_size:
 * @bytes: (out):
 *
 * Reads a size as people write it: "1GiB", "512 MB", "4G", "1.5 GiB",
 * "2000000" (bytes). K, M, G and T are powers of 1024, as are KiB, MiB, GiB
 * and TiB; kB, MB, GB and TB are powers of 1000.
 */
gboolean tess_memory_parse_size (const char *text, guint64 *bytes, GError **error);

G_END_DECLS
