/* tess-run.h: the API a dashboard or fragment function writes against.
 *
 * A TessRun is the handle a dashboard or fragment function receives for one
 * execution of its body. Element functions append to the running scope's element
 * tree; input functions declare an input and return its current value;
 * tess_fragment() declares a nested fragment that owns a slot at the call
 * position.
 *
 * Every function here may be called from the thread running the body (a worker
 * thread) and only from it, for the duration of the body.
 */
#pragma once

#if !defined(TESSERA_INSIDE) && !defined(TESSERA_COMPILATION)
#error "Only <tessera.h> can be included directly."
#endif

#include <gio/gio.h>

#include "tess-element.h"
#include "tess-frame.h"

G_BEGIN_DECLS

typedef struct _TessRun TessRun;
typedef struct _TessSession TessSession;
typedef struct _TessInput TessInput;

/* A run is reference counted by the runtime; a binding may hold one past the
 * body, but every function here still works only during it. An input belongs
 * to its session and lives as long as it does: its boxed copy is the same
 * handle. */
#define TESS_TYPE_RUN (tess_run_get_type ())
#define TESS_TYPE_INPUT (tess_input_get_type ())
GType tess_run_get_type (void) G_GNUC_CONST;
GType tess_input_get_type (void) G_GNUC_CONST;

/**
 * TessFragmentFunc:
 * @user_data: (closure):
 *
 * A dashboard or fragment body. Return FALSE and set @error to fail the run: the
 * error is shown in this scope's slot (for the dashboard, at the current
 * position, and the full run stops). Runs on a worker thread.
 */
typedef gboolean (*TessFragmentFunc) (TessRun *run, gpointer user_data, GError **error);

typedef enum
{
  TESS_FRAGMENT_SEQUENTIAL = 0,
  TESS_FRAGMENT_PARALLEL = 1 << 0,
} TessFragmentFlags;

typedef struct
{
  TessFragmentFlags flags;
  double run_every; /* seconds between reruns; 0 for none */
} TessFragmentOptions;

/**
 * tess_fragment:
 * @func: (scope forever):
 * @user_data: (closure func):
 *
 * Declares the fragment @key (unique among its siblings) running @func.
 * Parallel: the slot is reserved here, the body is dispatched to a worker and
 * this call returns at once. Sequential: the body runs here, inline.
 * @user_data must stay valid while the fragment may rerun; use
 * tess_fragment_full() to hand over ownership instead.
 */
void tess_fragment (TessRun *run, const char *key, TessFragmentFunc func, gpointer user_data, TessFragmentFlags flags);
/**
 * tess_fragment_full:
 * @func: (scope notified) (closure user_data) (destroy user_data_free):
 * @user_data_free: (nullable):
 * @options: (nullable):
 *
 * tess_fragment() with ownership of @user_data handed over (@user_data_free
 * frees it when the fragment is gone) and @options (its parallel flag and
 * run_every interval; NULL: sequential, no interval). This is the form
 * bindings use.
 */
void tess_fragment_full (TessRun *run,
                         const char *key,
                         TessFragmentFunc func,
                         gpointer user_data,
                         GDestroyNotify user_data_free,
                         const TessFragmentOptions *options);

/* The run itself */
/**
 * tess_run_get_session:
 *
 * The session this run belongs to.
 *
 * Returns: (transfer none):
 */
TessSession *tess_run_get_session (TessRun *run);
/**
 * tess_run_get_path:
 *
 * "" for the dashboard, "key" or "outer/inner" for fragments
 */
const char *tess_run_get_path (TessRun *run);
/**
 * tess_run_get_count:
 *
 * How many times this scope has started, this run included (1 on the first).
 */
guint tess_run_get_count (TessRun *run);
/**
 * tess_run_get_cancellable:
 *
 * Cancelled when this run is superseded by a newer one or its session
 * closes; pass it to blocking calls of your own.
 *
 * Returns: (transfer none):
 */
GCancellable *tess_run_get_cancellable (TessRun *run);
/**
 * tess_run_is_cancelled:
 *
 * Whether this run was superseded or its session closed: a long body checks
 * it and returns early.
 */
gboolean tess_run_is_cancelled (TessRun *run);
/**
 * tess_run_wait:
 *
 * Sleeps @seconds without holding a CPU slot; FALSE at once when the run is
 * cancelled (superseded or closed).
 */
gboolean tess_run_wait (TessRun *run, double seconds);
/**
 * tess_run_blocking_begin:
 *
 * Brackets a blocking wait (I/O) so the scheduler can run other fragments
 * meanwhile. tess_run_wait() and tess_load() do this themselves.
 */
void tess_run_blocking_begin (TessRun *run);
/**
 * tess_run_blocking_end:
 *
 * Ends a blocking wait begun with tess_run_blocking_begin().
 */
void tess_run_blocking_end (TessRun *run);
/**
 * tess_run_set_status:
 *
 * What the slot shows while the run is in progress: a status line and a
 * fraction in 0..1 (negative for unknown). Delivered within a frame.
 */
void tess_run_set_status (TessRun *run, const char *text);
/**
 * tess_run_set_progress:
 * @text: (nullable):
 */
void tess_run_set_progress (TessRun *run, double fraction, const char *text);

/* Elements */
/**
 * tess_title:
 *
 * Appends a title: the dashboard's heading.
 */
void tess_title (TessRun *run, const char *text);
/**
 * tess_header:
 *
 * Appends a section header.
 */
void tess_header (TessRun *run, const char *text);
/**
 * tess_subheader:
 *
 * Appends a subheader.
 */
void tess_subheader (TessRun *run, const char *text);
/**
 * tess_caption:
 *
 * Appends a caption: small, dimmed text.
 */
void tess_caption (TessRun *run, const char *text);
/**
 * tess_text:
 *
 * Appends a paragraph of plain text.
 */
void tess_text (TessRun *run, const char *text);
/**
 * tess_textf: (skip)
 */
void tess_textf (TessRun *run, const char *format, ...) G_GNUC_PRINTF (2, 3);
/**
 * tess_markdown:
 *
 * Appends @markdown rendered as GitHub-flavoured Markdown (tables,
 * strikethrough, autolinks).
 */
void tess_markdown (TessRun *run, const char *markdown);
/**
 * tess_code:
 * @language: (nullable):
 *
 * Appends a block of code in a monospace font; @language names it, for a
 * reader.
 */
void tess_code (TessRun *run, const char *code, const char *language);
/**
 * tess_divider:
 *
 * Appends a horizontal rule.
 */
void tess_divider (TessRun *run);
/**
 * tess_json:
 *
 * Appends a JSON document as a tree that may be folded; @expanded opens it.
 */
void tess_json (TessRun *run, const char *json_text, gboolean expanded);
/**
 * tess_metric:
 * @delta: (nullable):
 *
 * Appends a metric: a @label, a big @value, and optionally the @delta since
 * the last period ("+4.2%"), coloured by its sign.
 */
void tess_metric (TessRun *run, const char *label, const char *value, const char *delta);
/**
 * tess_progress:
 * @text: (nullable):
 *
 * Appends a progress bar at @fraction (0..1) with an optional @text.
 */
void tess_progress (TessRun *run, double fraction, const char *text);
/**
 * tess_status:
 * @state: (nullable):
 *
 * Appends a status line; @state is "running", "complete" or "error" (NULL:
 * running).
 */
void tess_status (TessRun *run, const char *text, const char *state);
/**
 * tess_error:
 * @details: (nullable):
 *
 * Appends an error callout with its @message and optional @details (shown on
 * demand). It does not fail the run: return FALSE with an error for that.
 */
void tess_error (TessRun *run, const char *message, const char *details);
/**
 * tess_warning:
 *
 * Appends a warning callout.
 */
void tess_warning (TessRun *run, const char *message);
/**
 * tess_info:
 *
 * Appends an information callout.
 */
void tess_info (TessRun *run, const char *message);
/**
 * tess_success:
 *
 * Appends a success callout.
 */
void tess_success (TessRun *run, const char *message);
/**
 * tess_image:
 * @caption: (nullable):
 */
void tess_image (TessRun *run, const char *uri, const char *caption);
/**
 * tess_image_bytes:
 * @caption: (nullable):
 */
void tess_image_bytes (TessRun *run, GBytes *bytes, const char *caption);
/**
 * tess_chart:
 * @spec: (nullable):
 *
 * Generic data elements; @spec is an a{sv} dictionary (floating refs are sunk).
 * The chart and table issue's typed functions build on these.
 */
void tess_chart (TessRun *run, TessFrame *frame, GVariant *spec);
/**
 * tess_table:
 * @spec: (nullable):
 *
 * Appends a table of @frame; @spec may name its columns, height and title.
 */
void tess_table (TessRun *run, TessFrame *frame, GVariant *spec);
/**
 * tess_element:
 * @key: (nullable):
 * @props: (nullable):
 * @frame: (nullable):
 *
 * Appends an element of any kind with the given a{sv} props and optional
 * frame; for element functions built outside the runtime. @key may be NULL.
 */
void tess_element (TessRun *run, TessElementKind kind, const char *key, GVariant *props, TessFrame *frame);

/**
 * tess_container_begin:
 * @key: (nullable):
 *
 * Layout: every *_begin is closed by tess_end().
 */
void tess_container_begin (TessRun *run, const char *key);
/**
 * tess_sidebar_begin:
 *
 * Opens the sidebar: the elements up to tess_end() go beside the dashboard,
 * typically its inputs.
 */
void tess_sidebar_begin (TessRun *run);
/**
 * tess_columns_begin:
 *
 * Opens a row of columns: each tess_column_begin() up to tess_end() is one
 * column.
 */
void tess_columns_begin (TessRun *run);
/**
 * tess_column_begin:
 *
 * Opens one column of a row, as wide as its @weight relative to its
 * siblings.
 */
void tess_column_begin (TessRun *run, double weight);
/**
 * tess_tabs_begin:
 *
 * Opens a set of tabs: each tess_tab_begin() up to tess_end() is one tab.
 */
void tess_tabs_begin (TessRun *run);
/**
 * tess_tab_begin:
 *
 * Opens a tab titled @label.
 */
void tess_tab_begin (TessRun *run, const char *label);
/**
 * tess_expander_begin:
 *
 * Opens a section that folds under @label, open when @expanded.
 */
void tess_expander_begin (TessRun *run, const char *label, gboolean expanded);
/**
 * tess_end:
 *
 * Closes the innermost block opened with a *_begin() function.
 */
void tess_end (TessRun *run);

/* Inputs */
typedef enum
{
  TESS_INPUT_SLIDER,
  TESS_INPUT_RANGE_SLIDER,
  TESS_INPUT_SELECTBOX,
  TESS_INPUT_MULTISELECT,
  TESS_INPUT_CHECKBOX,
  TESS_INPUT_TOGGLE,
  TESS_INPUT_RADIO,
  TESS_INPUT_TEXT,
  TESS_INPUT_NUMBER,
  TESS_INPUT_DATE,
  TESS_INPUT_BUTTON,
} TessInputKind;

/* Inputs. Each input has a key: TessInputOptions.key when given, otherwise
 * one derived from the declaring scope's path, the kind and the label, so
 * the inputs of different fragments meet only under a key given explicitly.
 * A key names one input, declared in one place:
 *
 * - declaring it twice in one run is an error;
 * - an input belongs to the fragment (or the dashboard) that declares it.
 *   Another that declares the same key while the first is on the page and
 *   still declares it fails, however much later it comes: the error, in its
 *   slot, names both declarations, and the input stays the first one's.
 *   To use another fragment's input, read it: tess_input_lookup() never
 *   declares. Of two parallel fragments, the one that declares the key
 *   second fails, so which one that is may vary;
 * - a fragment rerunning re-declares its own inputs, and a parent's new run
 *   re-declares its fragments with theirs: that is the same declaration;
 * - once the fragment holding a key has left the page (its parent no longer
 *   declares it) or no longer declares the input, another fragment may
 *   declare the key, and takes the input over with its value. */

typedef struct
{
  const char *key;  /* stable identity; default: derived from scope, kind and label */
  const char *help; /* tooltip */
  double step;      /* sliders and numbers; 0 for a default */
  gboolean disabled;
  const char *placeholder; /* text inputs */
} TessInputOptions;

/* Everything an input is declared with, for tess_declare(). Unused fields stay 0. */
typedef struct
{
  TessInputKind kind;
  const char *label;
  const char *key;
  const char *help;
  double min, max, step;
  double value;                /* slider, number */
  double value_high;           /* range slider */
  gboolean active;             /* checkbox, toggle */
  const char *text;            /* text, date (YYYY-MM-DD) */
  const char *const *options;  /* selectbox, radio, multiselect */
  guint index;                 /* selectbox, radio: default option */
  const char *const *selected; /* multiselect defaults */
  gboolean disabled;
  const char *placeholder;
} TessInputSpec;

/**
 * tess_declare:
 *
 * Declares an input (its widget appears at this position) without reading
 * its value: only scopes that read it with tess_input_get_*() rerun when it
 * changes.
 * A key this run or another fragment has declared already fails the run (see
 * "Inputs" above): an error shows here instead of the widget, the body goes
 * on, and the input returned is the one declared first.
 *
 * Returns: (transfer none):
 */
TessInput *tess_declare (TessRun *run, const TessInputSpec *spec);
/**
 * tess_input_lookup:
 *
 * Finds an input declared by any scope, to read an input another fragment
 * (or the dashboard) declares; NULL when none has the key yet. Declares
 * nothing: any number of fragments may look an input up.
 *
 * Returns: (transfer none) (nullable):
 */
TessInput *tess_input_lookup (TessRun *run, const char *key);
/**
 * tess_input_get_key:
 *
 * The key that names @input.
 */
const char *tess_input_get_key (TessInput *input);
/**
 * tess_input_get_double:
 *
 * Reading records that this run's scope depends on the input.
 */
double tess_input_get_double (TessRun *run, TessInput *input);
/**
 * tess_input_get_boolean:
 *
 * The value of a checkbox, toggle or button input; reading it records that
 * this run's scope depends on it.
 */
gboolean tess_input_get_boolean (TessRun *run, TessInput *input);
/**
 * tess_input_get_string:
 *
 * The text of a text, date, selectbox or radio input, owned by the run;
 * reading it records that this run's scope depends on it.
 */
const char *tess_input_get_string (TessRun *run, TessInput *input);
/**
 * tess_input_get_strv:
 *
 * The selected options of a multiselect input; reading it records that this
 * run's scope depends on it.
 *
 * Returns: (transfer none) (array zero-terminated=1):
 */
const char *const *tess_input_get_strv (TessRun *run, TessInput *input);
/**
 * tess_input_get_value:
 *
 * The value of any input, as the GVariant its kind holds; reading it records
 * that this run's scope depends on it.
 *
 * Returns: (transfer full):
 */
GVariant *tess_input_get_value (TessRun *run, TessInput *input);

/**
 * tess_slider:
 * @options: (nullable):
 *
 * Declares a slider from @min to @max starting at @value, and returns its
 * current value.
 */
double
tess_slider (TessRun *run, const char *label, double min, double max, double value, const TessInputOptions *options);
/**
 * tess_range_slider:
 * @low: (inout):
 * @high: (inout):
 * @options: (nullable):
 *
 * Declares a slider with two handles from @min to @max; *@low and *@high
 * give its start and receive its current range.
 */
void tess_range_slider (TessRun *run,
                        const char *label,
                        double min,
                        double max,
                        double *low,
                        double *high,
                        const TessInputOptions *options);
/**
 * tess_selectbox:
 * @options: (array zero-terminated=1):
 * @opts: (nullable):
 *
 * Declares a drop-down of @options (NULL-terminated) starting at @index, and
 * returns the chosen option.
 *
 * Returns: (nullable):
 */
const char *
tess_selectbox (TessRun *run, const char *label, const char *const *options, guint index, const TessInputOptions *opts);
/**
 * tess_multiselect:
 * @options: (array zero-terminated=1):
 * @selected: (array zero-terminated=1) (nullable):
 * @opts: (nullable):
 *
 * Declares a list of @options of which any may be chosen, starting with
 * @selected, and returns the chosen ones.
 *
 * Returns: (transfer none) (array zero-terminated=1):
 */
const char *const *tess_multiselect (TessRun *run,
                                     const char *label,
                                     const char *const *options,
                                     const char *const *selected,
                                     const TessInputOptions *opts);
/**
 * tess_checkbox:
 * @options: (nullable):
 *
 * Declares a checkbox starting at @value, and returns whether it is checked.
 */
gboolean tess_checkbox (TessRun *run, const char *label, gboolean value, const TessInputOptions *options);
/**
 * tess_toggle:
 * @options: (nullable):
 *
 * Declares a switch starting at @value, and returns whether it is on.
 */
gboolean tess_toggle (TessRun *run, const char *label, gboolean value, const TessInputOptions *options);
/**
 * tess_radio:
 * @options: (array zero-terminated=1):
 * @opts: (nullable):
 *
 * Declares radio buttons for @options starting at @index, and returns the
 * chosen option.
 *
 * Returns: (nullable):
 */
const char *
tess_radio (TessRun *run, const char *label, const char *const *options, guint index, const TessInputOptions *opts);
/**
 * tess_text_input:
 * @value: (nullable):
 * @options: (nullable):
 *
 * Declares a text entry starting with @value, and returns its current text.
 */
const char *tess_text_input (TessRun *run, const char *label, const char *value, const TessInputOptions *options);
/**
 * tess_number_input:
 * @options: (nullable):
 *
 * Declares a number entry from @min to @max starting at @value, and returns
 * its current value.
 */
double tess_number_input (
    TessRun *run, const char *label, double value, double min, double max, const TessInputOptions *options);
/**
 * tess_date_input:
 * @value: (nullable):
 * @options: (nullable):
 *
 * Declares a date picker starting at @value (YYYY-MM-DD; NULL: today), and
 * returns the chosen date as YYYY-MM-DD.
 */
const char *tess_date_input (TessRun *run, const char *label, const char *value, const TessInputOptions *options);
/**
 * tess_button:
 * @options: (nullable):
 *
 * Declares a button, and returns TRUE in the run its press started, FALSE
 * otherwise.
 */
gboolean tess_button (TessRun *run, const char *label, const TessInputOptions *options);

/**
 * TessStateUpdateFunc:
 * @current: (nullable):
 * @user_data: (closure):
 *
 * Session state, shared by every scope of the session; safe from any thread.
 *
 * Returns: (transfer full) (nullable):
 */
typedef GVariant *(*TessStateUpdateFunc) (GVariant *current, gpointer user_data);
/**
 * tess_state_get:
 *
 * The session-state value @key, or NULL when it has none.
 *
 * Returns: (transfer full) (nullable):
 */
GVariant *tess_state_get (TessRun *run, const char *key);
/**
 * tess_state_set:
 * @value: (nullable):
 *
 * Sets the session-state value @key to @value (NULL removes it).
 */
void tess_state_set (TessRun *run, const char *key, GVariant *value);
/**
 * tess_state_compare_and_set:
 * @expected: (nullable):
 * @value: (nullable):
 *
 * Sets @value only when the current value equals @expected (NULL: absent).
 */
gboolean tess_state_compare_and_set (TessRun *run, const char *key, GVariant *expected, GVariant *value);
/**
 * tess_state_update:
 * @func: (scope call):
 * @user_data: (closure func):
 *
 * Replaces the value with @func's result, atomically; returns the new value (transfer full).
 *
 * Returns: (transfer full) (nullable):
 */
GVariant *tess_state_update (TessRun *run, const char *key, TessStateUpdateFunc func, gpointer user_data);

G_END_DECLS
