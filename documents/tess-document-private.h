/* tess-document-private.h: the validated model of a document, for the files of
 * app/ that check, compile and reload documents. */
#pragma once

#include "tess-document.h"
#include "tess-document-node.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;
  TessDocNode *node;
  TessInputSpec spec; /* strings below are owned here */
  char *label, *help, *text, *placeholder;
  char **options;
  char **selected;
} TessDocInput;

typedef struct
{
  char *name;
  TessDocNode *node;
  char *uri;    /* as written: may hold ${env:NAME} and ${input} */
  char *format; /* "csv", "json", "ndjson" or NULL: by content type or extension */
  double ttl;   /* seconds; 0: until the dashboard reloads */
  char **header_names;
  char **header_values; /* as written: may hold ${env:NAME} */
  TessDocNode *options; /* reader options object, or NULL */
} TessDocSource;

typedef struct
{
  char *id;
  guint index;
  TessDocNode *node;
  TessDocNode *title; /* string, or NULL */
  gboolean parallel;
  double run_every;
  TessDocNode *delay;    /* number, "$input" or {"seconds", "when"}; or NULL */
  char *source;          /* name in sources, or NULL */
  TessDocNode *pipeline; /* array, or NULL */
  TessDocNode *views;    /* array */
  char **inputs;         /* sorted, unique */
  char *signature;
} TessDocFragment;

struct _TessDocument
{
  GObject parent_instance;

  char *base_uri;
  TessDocNode *root;
  GPtrArray *problems; /* TessDocumentProblem* */
  char *title;
  TessDocNode *description;
  GPtrArray *inputs;    /* TessDocInput*, document order */
  GPtrArray *sources;   /* TessDocSource* */
  GPtrArray *fragments; /* TessDocFragment* */
  TessDocNode *layout;
  char *structure_signature;
};

TessDocInput *tess_document_lookup_input (TessDocument *self, const char *name);
TessDocSource *tess_document_lookup_source (TessDocument *self, const char *name);
TessDocFragment *tess_document_lookup_fragment (TessDocument *self, const char *id);

void tess_document_add_problem (
    TessDocument *self, const TessDocNode *node, const char *path, gboolean warning, const char *format, ...)
    G_GNUC_PRINTF (5, 6);

/* A string value is an input reference when it is "$name"; "$$..." is a literal
 * "$...". Returns the name (transfer full) or NULL. */
char *tess_document_parse_reference (const char *value);
/* Collects the names in "${name}" substitutions (not ${env:...}) of @text. */
void tess_document_collect_substitutions (const char *text, GHashTable *names);

/* Resolves a source URI as written against the document's base. transfer full */
char *tess_document_resolve_uri (TessDocument *self, const char *uri);
/* TRUE for file paths, file:// and resource:// URIs. */
gboolean tess_document_uri_is_local (const char *uri);

/* Reads the text of a document at a path or URL (http, https, file,
 * resource); @base_uri receives where it came from. Blocks. */
char *tess_document_read_target (const char *target, char **base_uri, GError **error);

G_END_DECLS
