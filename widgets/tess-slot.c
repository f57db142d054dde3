/* tess-slot.c: the visible states of one scope.
 *
 * The slot owns three parts: the pending box (spinner, elapsed time, status,
 * progress), the content box (the reconciler's) and the error card. Before
 * the first output the pending box stands in for the content, above where
 * the error card would be; once there is content, a rerun's status floats
 * over the stale content in the top corner instead of pushing it down, so a
 * rerun moves nothing on the page and its end moves nothing either, unless
 * the new content's size differs. The slot never touches the content itself,
 * so a state change never costs a widget of the content.
 *
 * A failed refresh (a run_every rerun, or a Retry of it) that kept the last
 * good output (an error update none of whose content is fresh) shows the
 * error as a badge floating in the same corner, with a Retry, instead of
 * the error card: a live dashboard keeps showing what it had.
 */
#include "tess-slot.h"

#include "tess-spinner.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define SPACING 12
/* A rerun without a status of its own shows its elapsed time after this. */
#define QUIET_RERUN_US (G_USEC_PER_SEC)

struct _TessSlot
{
  GtkWidget parent_instance;

  char *path;
  char *accessible_name; /* what screen readers call the slot */
  TessScopeState state;
  guint run_count;
  gint64 started_us;
  guint tick_id;
  gboolean running;
  gboolean has_content;
  gboolean reported;

  GtkWidget *pending;
  GtkWidget *pending_row; /* spinner and elapsed time */
  GtkWidget *spinner;
  GtkWidget *elapsed;
  GtkWidget *status;
  GtkWidget *progress;
  GtkWidget *content;
  GtkWidget *error;
  GtkWidget *message;
  GtkWidget *details_expander;
  GtkWidget *details;
  GtkWidget *retry;
  GtkWidget *badge; /* made on the first failed refresh */
  GtkWidget *badge_message;
  GtkWidget *badge_retry;
};

G_DEFINE_FINAL_TYPE (TessSlot, tess_slot, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Whole seconds: a label whose text changes is measured and laid out again,
 * and a dashboard may have dozens of slots waiting at once. */
static void
update_elapsed (TessSlot *self)
{
  double seconds = self->started_us > 0 ? (g_get_monotonic_time () - self->started_us) / 1e6 : 0;
  char text[64];

  /* Translators: how long a section has been running, e.g. "Running… 3 s" */
  g_snprintf (text, sizeof text, _ ("Running… %d s"), (int) MAX (seconds, 0));
  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (self->elapsed)), text) != 0)
    gtk_label_set_text (GTK_LABEL (self->elapsed), text);
}

static void update_pending (TessSlot *self);

static gboolean
tess_slot_elapsed_timeout_cb (gpointer user_data)
{
  TessSlot *self = user_data;

  g_assert (TESS_IS_SLOT (self));

  update_elapsed (self);
  update_pending (self);
  return G_SOURCE_CONTINUE;
}

/* Which of the pending parts show: before the first output all of them; in
 * a rerun, floating over the stale content, what the fragment reports and
 * the elapsed time once the rerun is no longer quick. */
static void
update_pending (TessSlot *self)
{
  gboolean long_rerun = self->running && self->has_content && self->started_us > 0 &&
                        g_get_monotonic_time () - self->started_us >= QUIET_RERUN_US;
  gboolean floats = self->has_content;

  gtk_widget_set_visible (self->pending, self->running && (!self->has_content || self->reported || long_rerun));
  gtk_widget_set_visible (self->elapsed, self->running && (!self->has_content || long_rerun));
  gtk_widget_set_visible (self->pending_row, gtk_widget_get_visible (self->elapsed));
  if (floats != gtk_widget_has_css_class (self->pending, "tess-floating"))
    {
      if (floats)
        gtk_widget_add_css_class (self->pending, "tess-floating");
      else
        gtk_widget_remove_css_class (self->pending, "tess-floating");
    }
}

static void
tess_slot_retry_clicked_cb (GtkButton *button, TessSlot *self)
{
  g_assert (GTK_IS_BUTTON (button));
  g_assert (TESS_IS_SLOT (self));

  g_signal_emit (self, signals[SIGNAL_RETRY], 0);
}

static void
tess_slot_dispose (GObject *object)
{
  TessSlot *self = TESS_SLOT (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tess_slot_parent_class)->dispose (object);
}

static void
tess_slot_finalize (GObject *object)
{
  TessSlot *self = TESS_SLOT (object);

  g_free (self->path);
  g_free (self->accessible_name);
  G_OBJECT_CLASS (tess_slot_parent_class)->finalize (object);
}

/* Layout: the pending box floats over the content once there is content;
 * otherwise the visible parts stack, pending first, then content, then the
 * error card. */

static gboolean
pending_floats (TessSlot *self)
{
  return self->has_content && gtk_widget_get_visible (self->content);
}

/* The part floating in the top corner over the content, if any: the status
 * of a rerun, or the badge of a failed refresh (never both: one is shown
 * while running, the other once the run failed). */
static GtkWidget *
floating_part (TessSlot *self)
{
  if (!pending_floats (self))
    return NULL;
  if (gtk_widget_should_layout (self->pending))
    return self->pending;
  if (self->badge != NULL && gtk_widget_should_layout (self->badge))
    return self->badge;
  return NULL;
}

/* The parts in the flow, top to bottom. */
static guint
flow_parts (TessSlot *self, GtkWidget *parts[3])
{
  guint n = 0;

  if (!pending_floats (self) && gtk_widget_should_layout (self->pending))
    parts[n++] = self->pending;
  if (gtk_widget_should_layout (self->content))
    parts[n++] = self->content;
  if (self->error != NULL && gtk_widget_should_layout (self->error))
    parts[n++] = self->error;
  return n;
}

static void
tess_slot_measure (GtkWidget *widget,
                   GtkOrientation orientation,
                   int for_size,
                   int *minimum,
                   int *natural,
                   int *minimum_baseline,
                   int *natural_baseline)
{
  TessSlot *self = TESS_SLOT (widget);
  GtkWidget *parts[3];
  guint n = flow_parts (self, parts);

  *minimum = *natural = 0;
  for (guint i = 0; i < n; i++)
    {
      int min, nat;

      gtk_widget_measure (parts[i], orientation, for_size, &min, &nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_VERTICAL)
        {
          *minimum += min + (i > 0 ? SPACING : 0);
          *natural += nat + (i > 0 ? SPACING : 0);
        }
      else
        {
          *minimum = MAX (*minimum, min);
          *natural = MAX (*natural, nat);
        }
    }
  /* A floating status must fit across the slot, not below it. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL && floating_part (self) != NULL)
    {
      int min;

      gtk_widget_measure (floating_part (self), orientation, -1, &min, NULL, NULL, NULL);
      *minimum = MAX (*minimum, min);
      *natural = MAX (*natural, min);
    }
}

static void
tess_slot_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TessSlot *self = TESS_SLOT (widget);
  GtkWidget *parts[3];
  guint n = flow_parts (self, parts);
  int y = 0;

  for (guint i = 0; i < n; i++)
    {
      int part_height;

      gtk_widget_measure (parts[i], GTK_ORIENTATION_VERTICAL, width, NULL, &part_height, NULL, NULL);
      /* The content takes what the others leave. */
      if (parts[i] == self->content)
        {
          int others = 0;

          for (guint j = i + 1; j < n; j++)
            {
              int h;
              gtk_widget_measure (parts[j], GTK_ORIENTATION_VERTICAL, width, NULL, &h, NULL, NULL);
              others += h + SPACING;
            }
          part_height = MAX (part_height, height - y - others);
        }
      gtk_widget_size_allocate (parts[i], &(GtkAllocation){ 0, y, width, part_height }, -1);
      y += part_height + SPACING;
    }
  if (floating_part (self) != NULL)
    {
      GtkWidget *part = floating_part (self);
      int pending_width, pending_height;

      gtk_widget_measure (part, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &pending_width, NULL, NULL);
      pending_width = MIN (pending_width, width);
      gtk_widget_measure (part, GTK_ORIENTATION_VERTICAL, pending_width, NULL, &pending_height, NULL, NULL);
      gtk_widget_size_allocate (
          part,
          &(GtkAllocation){ gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? 0 : width - pending_width, 0,
                            pending_width, pending_height },
          -1);
    }
}

static GtkSizeRequestMode
tess_slot_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tess_slot_class_init (TessSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_slot_dispose;
  object_class->finalize = tess_slot_finalize;

  /**
   * TessSlot::retry:
   *
   * The user asked to run the failed scope again.
   */
  signals[SIGNAL_RETRY] =
      g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  widget_class->measure = tess_slot_measure;
  widget_class->size_allocate = tess_slot_size_allocate;
  widget_class->get_request_mode = tess_slot_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "tess-slot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
slot_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* The status line, the progress bar and the error card are made the first
 * time they are needed: a dashboard of 64 fragments makes 64 slots at once,
 * and most never fail or report progress. */
static void
ensure_status (TessSlot *self)
{
  if (self->status != NULL)
    return;
  self->status = slot_label (NULL);
  gtk_box_append (GTK_BOX (self->pending), self->status);
  self->progress = gtk_progress_bar_new ();
  gtk_box_append (GTK_BOX (self->pending), self->progress);
  gtk_widget_set_visible (self->status, FALSE);
  gtk_widget_set_visible (self->progress, FALSE);
}

static void
ensure_error_card (TessSlot *self)
{
  GtkWidget *column, *icon, *title, *buttons;

  if (self->error != NULL)
    return;
  self->error = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->error, "card");
  gtk_widget_add_css_class (self->error, "tess-error-card");
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_hexpand (column, TRUE);
  title = slot_label ("heading");
  gtk_label_set_text (GTK_LABEL (title), self->path != NULL && self->path[0] == '\0' ? _ ("The dashboard failed")
                                                                                     : _ ("This section failed"));
  self->message = slot_label (NULL);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  self->details_expander = gtk_expander_new (_ ("Details"));
  self->details = slot_label ("monospace");
  gtk_label_set_selectable (GTK_LABEL (self->details), TRUE);
  gtk_expander_set_child (GTK_EXPANDER (self->details_expander), self->details);
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->retry = gtk_button_new_with_mnemonic (_ ("_Retry"));
  gtk_widget_add_css_class (self->retry, "suggested-action");
  g_signal_connect (self->retry, "clicked", G_CALLBACK (tess_slot_retry_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->retry);
  gtk_box_append (GTK_BOX (column), title);
  gtk_box_append (GTK_BOX (column), self->message);
  gtk_box_append (GTK_BOX (column), self->details_expander);
  gtk_box_append (GTK_BOX (column), buttons);
  gtk_box_append (GTK_BOX (self->error), icon);
  gtk_box_append (GTK_BOX (self->error), column);
  gtk_widget_insert_after (self->error, GTK_WIDGET (self), self->content);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The badge of a failed refresh: an icon, the message's first line and a
 * Retry, small enough to float over the output it leaves in place. */
static void
ensure_badge (TessSlot *self)
{
  GtkWidget *icon;

  if (self->badge != NULL)
    return;
  self->badge = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (self->badge, "tess-error-badge");
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (icon, "error");
  self->badge_message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->badge_message), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->badge_message), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (self->badge_message), 48);
  self->badge_retry = gtk_button_new_with_mnemonic (_ ("_Retry"));
  gtk_widget_add_css_class (self->badge_retry, "flat");
  g_signal_connect (self->badge_retry, "clicked", G_CALLBACK (tess_slot_retry_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->badge), icon);
  gtk_box_append (GTK_BOX (self->badge), self->badge_message);
  gtk_box_append (GTK_BOX (self->badge), self->badge_retry);
  /* Last, so that it is drawn above the content. */
  gtk_widget_insert_before (self->badge, GTK_WIDGET (self), NULL);
}

static void
tess_slot_init (TessSlot *self)
{
  GtkWidget *row;

  self->state = TESS_SCOPE_PENDING;

  /* Pending: spinner and elapsed time (status and progress come when reported) */
  self->pending = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->pending, "tess-slot-pending");
  row = self->pending_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  self->spinner = tess_spinner_new ();
  self->elapsed = slot_label ("tess-dim");
  gtk_label_set_wrap (GTK_LABEL (self->elapsed), FALSE);
  gtk_widget_add_css_class (self->elapsed, "numeric");
  gtk_box_append (GTK_BOX (row), self->spinner);
  gtk_box_append (GTK_BOX (row), self->elapsed);
  gtk_box_append (GTK_BOX (self->pending), row);

  /* Content: the reconciler's */
  self->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (self->content, "tess-slot-content");
  gtk_widget_set_parent (self->content, GTK_WIDGET (self));
  /* Last, so that floating over the content it is drawn above it. */
  gtk_widget_set_parent (self->pending, GTK_WIDGET (self));

  tess_spinner_set_spinning (TESS_SPINNER (self->spinner), TRUE);
  update_elapsed (self);
}

GtkWidget *
tess_slot_new (const char *path)
{
  TessSlot *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TESS_TYPE_SLOT, NULL);
  self->path = g_strdup (path);
  /* named before its first output too: a screen reader announces what is
   * loading */
  self->accessible_name = tess_slot_accessible_name (path, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_name, -1);
  return GTK_WIDGET (self);
}

const char *
tess_slot_get_path (TessSlot *self)
{
  g_return_val_if_fail (TESS_IS_SLOT (self), NULL);

  return self->path;
}

void
tess_slot_set_state (TessSlot *self, const TessScopeUpdate *update)
{
  gboolean has_content;
  gboolean running;
  gboolean reported;
  gboolean kept;

  g_return_if_fail (TESS_IS_SLOT (self));
  g_return_if_fail (update != NULL);
  TESS_ASSERT_MAIN_THREAD ();

  /* No style class follows the state: a class change restyles the slot's
   * whole subtree, and the dashboard's own slot holds every widget. */
  self->state = update->state;
  self->run_count = update->run_count;
  self->started_us = update->started_us;

  has_content = update->root != NULL && tess_element_get_n_children (update->root) > 0;
  running = update->state == TESS_SCOPE_PENDING || update->state == TESS_SCOPE_RUNNING;
  reported = update->status != NULL || update->progress >= 0;
  self->running = running;
  self->has_content = has_content;
  self->reported = reported;
  /* Assistive technologies learn that this part of the dashboard is updating. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, running, -1);
  if (update->root != NULL)
    {
      g_autofree char *name = tess_slot_accessible_name (self->path, update->root);

      if (g_strcmp0 (name, self->accessible_name) != 0)
        {
          g_free (self->accessible_name);
          self->accessible_name = g_steal_pointer (&name);
          gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_name,
                                          -1);
        }
    }

  /* The spinner stands in for content that has not come yet; during a rerun
   * the stale content is the indicator, plus whatever the fragment reports
   * and, once it takes a while, the time it has taken. */
  gtk_widget_set_visible (self->spinner, running && !has_content);
  tess_spinner_set_spinning (TESS_SPINNER (self->spinner), running && !has_content);
  if (running)
    {
      update_elapsed (self);
      if (self->tick_id == 0)
        self->tick_id = g_timeout_add (250, tess_slot_elapsed_timeout_cb, self);
    }
  else
    g_clear_handle_id (&self->tick_id, g_source_remove);
  update_pending (self);

  if (running && reported)
    ensure_status (self);
  if (self->status != NULL)
    {
      gtk_widget_set_visible (self->status, running && update->status != NULL);
      if (update->status != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (self->status)), update->status) != 0)
        gtk_label_set_text (GTK_LABEL (self->status), update->status);
      gtk_widget_set_visible (self->progress, running && update->progress >= 0);
      if (update->progress >= 0)
        gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), CLAMP (update->progress, 0, 1));
    }

  /* An error none of whose content is fresh kept the last good output. */
  kept = update->state == TESS_SCOPE_ERROR && has_content && update->n_fresh == 0;
  if (kept)
    {
      const char *message = update->error != NULL ? update->error->message : _ ("The run failed.");
      const char *newline = strchr (message, '\n');
      g_autofree char *first = newline != NULL ? g_strndup (message, newline - message) : g_strdup (message);
      /* Translators: the tooltip of a failed live update's badge; %s is the error */
      g_autofree char *tooltip =
          g_strdup_printf (_ ("The last update failed; this is the output from before.\n%s"), message);

      ensure_badge (self);
      gtk_label_set_text (GTK_LABEL (self->badge_message), first);
      gtk_widget_set_tooltip_text (self->badge, tooltip);
    }
  if (self->badge != NULL)
    gtk_widget_set_visible (self->badge, kept);

  if (update->state == TESS_SCOPE_ERROR && !kept)
    {
      const char *message = update->error != NULL ? update->error->message : _ ("The run failed.");
      const char *newline = strchr (message, '\n');
      g_autofree char *first = newline != NULL ? g_strndup (message, newline - message) : g_strdup (message);
      g_autofree char *details = NULL;

      ensure_error_card (self);
      if (update->error != NULL)
        details = g_strdup_printf ("%s\n\n%s %d, %s", message, g_quark_to_string (update->error->domain),
                                   update->error->code, self->path[0] != '\0' ? self->path : _ ("dashboard"));
      gtk_label_set_text (GTK_LABEL (self->message), first);
      gtk_label_set_text (GTK_LABEL (self->details), details ?: message);
      gtk_widget_set_visible (self->details_expander, details != NULL);
    }
  if (self->error != NULL)
    gtk_widget_set_visible (self->error, update->state == TESS_SCOPE_ERROR && !kept);
  gtk_widget_set_visible (self->content, has_content);
}

char *
tess_slot_accessible_name (const char *path, TessElement *root)
{
  const char *slash;

  g_return_val_if_fail (path != NULL, NULL);

  /* the title the fragment shows first, as a sighted user reads it */
  for (guint i = 0; root != NULL && i < tess_element_get_n_children (root); i++)
    {
      TessElement *child = tess_element_get_child (root, i);
      TessElementKind kind = tess_element_get_kind (child);
      const char *text = tess_element_get_string (child, "text");

      if ((kind == TESS_ELEMENT_TITLE || kind == TESS_ELEMENT_HEADER || kind == TESS_ELEMENT_SUBHEADER) &&
          text != NULL && text[0] != '\0')
        return g_strdup (text);
    }
  /* else the fragment's name */
  if (path[0] == '\0')
    return g_strdup (_ ("Dashboard"));
  slash = strrchr (path, '/');
  return g_strdup (slash != NULL ? slash + 1 : path);
}

const char *
tess_slot_get_accessible_name (TessSlot *self)
{
  g_return_val_if_fail (TESS_IS_SLOT (self), NULL);
  return self->accessible_name;
}

TessScopeState
tess_slot_get_state (TessSlot *self)
{
  g_return_val_if_fail (TESS_IS_SLOT (self), TESS_SCOPE_PENDING);

  return self->state;
}

guint
tess_slot_get_run_count (TessSlot *self)
{
  g_return_val_if_fail (TESS_IS_SLOT (self), 0);

  return self->run_count;
}

GtkWidget *
tess_slot_get_content (TessSlot *self)
{
  g_return_val_if_fail (TESS_IS_SLOT (self), NULL);

  return self->content;
}

GtkWidget *
tess_slot_get_part (TessSlot *self, const char *part)
{
  g_return_val_if_fail (TESS_IS_SLOT (self), NULL);
  g_return_val_if_fail (part != NULL, NULL);

  /* Parts made on demand exist, hidden, once asked for. */
  if (g_str_equal (part, "status") || g_str_equal (part, "progress"))
    ensure_status (self);
  else if (g_str_equal (part, "badge") || g_str_equal (part, "badge-message") || g_str_equal (part, "badge-retry"))
    {
      if (self->badge == NULL)
        {
          ensure_badge (self);
          gtk_widget_set_visible (self->badge, FALSE);
        }
    }
  else if (g_str_equal (part, "error") || g_str_equal (part, "message") || g_str_equal (part, "details") ||
           g_str_equal (part, "details-expander") || g_str_equal (part, "retry"))
    {
      if (self->error == NULL)
        {
          ensure_error_card (self);
          gtk_widget_set_visible (self->error, FALSE);
        }
    }

  if (g_str_equal (part, "badge"))
    return self->badge;
  if (g_str_equal (part, "badge-message"))
    return self->badge_message;
  if (g_str_equal (part, "badge-retry"))
    return self->badge_retry;
  if (g_str_equal (part, "pending"))
    return self->pending;
  if (g_str_equal (part, "spinner"))
    return self->spinner;
  if (g_str_equal (part, "elapsed"))
    return self->elapsed;
  if (g_str_equal (part, "status"))
    return self->status;
  if (g_str_equal (part, "progress"))
    return self->progress;
  if (g_str_equal (part, "content"))
    return self->content;
  if (g_str_equal (part, "error"))
    return self->error;
  if (g_str_equal (part, "message"))
    return self->message;
  if (g_str_equal (part, "details"))
    return self->details;
  if (g_str_equal (part, "details-expander"))
    return self->details_expander;
  if (g_str_equal (part, "retry"))
    return self->retry;
  return NULL;
}
