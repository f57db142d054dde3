/* tess-document-private.h: the validated model of a document, for the files of
 * documents/ that check, compile and reload documents. */
#pragma once

#include "tess-document.h"
#include "tess-document-node.h"

G_BEGIN_DECLS

typedef struct _TessDocFragment TessDocFragment;

typedef struct
{
  char *name;
  TessDocNode *node;
  TessInputSpec spec; /* strings below are owned here */
  char *label, *help, *text, *placeholder;
  char **options; /* empty when the options come from data */
  char **selected;
  /* Options from data (tess-document-choices.c): the "options" object, and
   * the query it makes, a fragment with a source, a pipeline and no views. */
  TessDocNode *choices_node;
  TessDocFragment *choices;
  /* The latest options worked out, so that the fragments that read the input
   * do not filter the data again to learn them; guarded by choices_lock. */
  GMutex choices_lock;
  GPtrArray *choices_memo;
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

  /* A database (postgresql://, tess-document-sql.h): a query and its
   * parameters, or a table. */
  gboolean is_database;
  char *query;              /* as written, or NULL */
  TessDocNode *params;      /* array of input references and literals, or NULL */
  TessDocNode *query_node;  /* where the query was written, or NULL */
  char *table;              /* as SQL names it (sales, public.sales), or NULL */
  TessDocNode *table_node;  /* where the table was named, or NULL */
  char *password;           /* "${env:NAME}", or NULL: libpq's files, or the keyring */
  guint64 row_limit;        /* 0: TESS_SQL_DEFAULT_ROW_LIMIT */
  double statement_timeout; /* seconds; 0: the server's */
} TessDocSource;

struct _TessDocFragment
{
  char *id;
  guint index;
  char *path; /* where it is written, for messages; NULL: "$.fragments[index]" */
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
  TessDocNode *choices_column; /* an input's options query: the column they come from */
};

struct _TessDocument
{
  GObject parent_instance;

  char *base_uri;
  TessTrust *trust; /* what its sources may reach, from where it came from */
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

/* Orders the problems by position; problems found at one position keep the
 * order they were found in. */
void tess_document_sort_problems (TessDocument *self);

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

/* Validation helpers, shared by the files that parse a document: the
 * document with its sources and layout (tess-document.c), inputs
 * (tess-document-inputs.c), fragments
 * (tess-document-fragment.c), pipeline steps (tess-document-steps.c) and views
 * (tess-document-views.c). Each adds a problem to @self for what it finds
 * wrong and returns, so validation carries on and reports everything at once.
 * @path is the JSON path of what is checked, "$.fragments[2].views[0]". */

/* A problem at @node's position. */
void tess_document_error_at (TessDocument *self, const TessDocNode *node, const char *path, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
/* A problem at the position of @member's key. */
void tess_document_error_at_key (
    TessDocument *self, const TessDocMember *member, const char *path, gboolean warning, const char *format, ...)
    G_GNUC_PRINTF (5, 6);
/* A missing member has no position of its own: the problem names its path and
 * sorts at the object it is missing from. */
void
tess_document_error_missing (TessDocument *self, const TessDocNode *parent, const char *path, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

/* " (did you mean "x"?)" or ""; transfer full */
char *tess_document_did_you_mean (const char *word, const char *const *candidates);
/* "a", "b" or "c"; transfer full */
char *tess_document_quoted_list (const char *const *strv);
/* Letters, digits and _, not starting with a digit. */
gboolean tess_document_is_identifier (const char *s);
/* @parent.key (or @parent["key"] when key is not an identifier). transfer full */
char *tess_document_path_member (const char *parent, const char *key);
/* @parent[index]. transfer full */
char *tess_document_path_index (const char *parent, guint index);

static inline gboolean
tess_document_strv_contains (const char *const *strv, const char *s)
{
  return strv && s && g_strv_contains (strv, s);
}

/* FALSE, with a problem, when @node is not of @type. */
gboolean
tess_document_expect_type (TessDocument *self, const TessDocNode *node, const char *path, TessDocNodeType type);
/* Reports members of the object @node that are given twice or are not in
 * @allowed; @what names the object in the message ("a table view"). */
void tess_document_check_members (
    TessDocument *self, const TessDocNode *node, const char *path, const char *const *allowed, const char *what);
/* Optional members of @object of one type: the value, or @fallback (NULL) when
 * the member is absent or, with a problem, of another type. */
double tess_document_optional_number (
    TessDocument *self, const TessDocNode *object, const char *key, const char *path, double fallback);
char *tess_document_optional_string (TessDocument *self, const TessDocNode *object, const char *key, const char *path);
gboolean tess_document_optional_bool (
    TessDocument *self, const TessDocNode *object, const char *key, const char *path, gboolean fallback);
/* A boolean member that may also be an input reference ("$name"). */
void
tess_document_optional_bool_or_ref (TessDocument *self, const TessDocNode *object, const char *key, const char *path);
/* The longest duration a document may state (delay, run_every, ttl): 24 h.
 * Every value up to it is waited exactly; a delay from an input outside it is
 * an error in the fragment's slot. */
#define TESS_DOC_MAX_DURATION (24 * 3600.0)

/* A duration: seconds as a number, or a string such as "500ms", "5s", "2m",
 * "1h"; from 0 to TESS_DOC_MAX_DURATION. */
gboolean tess_document_read_duration (TessDocument *self, const TessDocNode *node, const char *path, double *out);

/* TRUE when @node is a string that is an input reference, "$name". */
gboolean tess_document_is_reference_node (const TessDocNode *node);
/* Checks every input reference in the string @node and adds the names to
 * @used (when not NULL). ${env:NAME} is allowed only where @env_allowed. */
void tess_document_check_string_refs (
    TessDocument *self, const TessDocNode *node, const char *path, gboolean env_allowed, GHashTable *used);

/* "unknown source" for the string @node, with a suggestion. */
void tess_document_error_unknown_source (TessDocument *self, const TessDocNode *node, const char *path);

/* Every input's default value, as a fragment would read it before the user
 * changes anything: input name -> GVariant*. transfer full */
GHashTable *tess_document_dup_default_values (TessDocument *self);

/* Problems (tess-document-rules.c) */

void tess_document_problem_free (gpointer data);
/* The names of the document's inputs, in document order. transfer full */
char **tess_document_get_input_names (TessDocument *self);

/* Inputs (tess-document-inputs.c) */

/* Parses the input @member of "inputs" into self->inputs. */
void tess_document_parse_input (TessDocument *self, const TessDocMember *member, const char *path);
void tess_doc_input_free (gpointer data);

/* Options from data (tess-document-choices.c) */

/* Reads the "options" objects of the choice inputs, once the sources are
 * known, and adds to every fragment the inputs its inputs' options read. */
void tess_document_resolve_choices (TessDocument *self);
/* For --check: a default of @input's that the data of a source read here
 * does not hold is a warning (the dashboard chooses the first value).
 * Blocks: reads the source. */
void tess_document_check_choice_default (TessDocument *self, TessDocInput *input);

/* Fragments (tess-document-fragment.c) */

/* A pipeline step, checked by its table. */
void tess_document_check_step (TessDocument *self, const TessDocNode *node, const char *path);
/* Checks the input references anywhere in @node; their names join @used. */
void tess_document_check_refs (TessDocument *self, const TessDocNode *node, const char *path, GHashTable *used);
/* The inputs a fragment that loads @source reads through it join @used. */
void tess_document_collect_source_inputs (TessDocument *self, TessDocSource *source, GHashTable *used);
/* The inputs of the sources @pipeline joins join @used. */
void tess_document_collect_join_inputs (TessDocument *self, const TessDocNode *pipeline, GHashTable *used);

/* Parses the fragment @node, the @index-th, into self->fragments; @ids holds
 * the ids seen so far (strings owned by the document's nodes). */
void tess_document_parse_fragment (
    TessDocument *self, const TessDocNode *node, guint index, const char *path, GHashTable *ids);
void tess_doc_fragment_free (gpointer data);

/* A member of @object that names a column: required, a string (or "$input"). */
void tess_document_require_column (TessDocument *self, const TessDocNode *object, const char *key, const char *path);
/* A column name or an array of them; @what names the member in the message. */
void tess_document_check_column_names (TessDocument *self, const TessDocNode *node, const char *path, const char *what);

G_END_DECLS
