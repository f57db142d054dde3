/* tess-document-node.h: a JSON tree that remembers where each value was written.
 *
 * Dashboard documents are JSON. json-glib 1.6 does not keep the source position
 * of its nodes, and `tessera --check` must point at a line and column, so
 * documents are read by this small scanner instead. Every node carries the line
 * and column (1-based, columns counted in characters) of its first character,
 * and object members keep the order they were written in.
 *
 * Nodes are immutable after parsing and may be read from any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TESS_DOC_NULL,
  TESS_DOC_BOOL,
  TESS_DOC_NUMBER,
  TESS_DOC_STRING,
  TESS_DOC_ARRAY,
  TESS_DOC_OBJECT,
} TessDocNodeType;

typedef struct _TessDocNode TessDocNode;

typedef struct
{
  char *key;
  guint key_line, key_col;
  TessDocNode *value;
} TessDocMember;

struct _TessDocNode
{
  gatomicrefcount ref_count;
  TessDocNodeType type;
  guint line, col;
  gboolean boolean;
  double number;
  gboolean is_integer; /* the number was written without fraction or exponent */
  char *string;
  GPtrArray *items; /* ARRAY: TessDocNode*; OBJECT: TessDocMember* */
};

#define TESS_DOC_ERROR (tess_doc_error_quark ())
GQuark tess_doc_error_quark (void);

typedef enum
{
  TESS_DOC_ERROR_SYNTAX,
  TESS_DOC_ERROR_INVALID,
} TessDocError;

/* Parses @text (UTF-8, @length bytes or -1 when NUL-terminated). On a syntax
 * error returns NULL and sets @line and @col to where it was found. */
TessDocNode *tess_doc_node_parse (const char *text, gssize length, guint *line, guint *col, GError **error);

TessDocNode *tess_doc_node_ref (TessDocNode *node);
void tess_doc_node_unref (TessDocNode *node);

const char *tess_doc_node_type_to_string (TessDocNodeType type);
/* OBJECT: the member's value or NULL. */
TessDocNode *tess_doc_node_get (const TessDocNode *node, const char *key);
const TessDocMember *tess_doc_node_get_member (const TessDocNode *node, const char *key);
guint tess_doc_node_get_length (const TessDocNode *node);
/* ARRAY: the item; OBJECT: the member's value. */
TessDocNode *tess_doc_node_get_index (const TessDocNode *node, guint index);
const TessDocMember *tess_doc_node_get_member_index (const TessDocNode *node, guint index);
/* A canonical JSON text of @node: no whitespace, members in document order.
 * Equal texts mean equal values. */
char *tess_doc_node_to_string (const TessDocNode *node);
void tess_doc_node_append_string (const TessDocNode *node, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TessDocNode, tess_doc_node_unref)

G_END_DECLS
