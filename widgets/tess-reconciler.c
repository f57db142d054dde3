/* tess-reconciler.c: keyed reconciliation of element trees into GTK widgets.
 *
 * Every widget the reconciler made carries a Node (object data "tess-node"):
 * the element it shows, its id and kind, and for containers the widget its
 * children go into and the ordered list of those children. Reconciling a
 * container walks the new children once: when ids and kinds line up with the
 * old ones (the common case: a rerun changes values, not structure) it only
 * updates the children whose element pointer changed; otherwise it matches by
 * id, makes and drops widgets, and moves only the widgets whose neighbour
 * changed. Nothing is ever rebuilt to update it, so an input keeps its grab
 * and focus across reruns and nothing flickers.
 */
#include "tess-reconciler.h"
#include "tess-thread-private.h"

#include "tess-columns.h"
#include "tess-element-widgets.h"
#include "tess-input-widgets.h"

struct _TessReconciler
{
  GObject parent_instance;

  TessSession *session;
  GHashTable *slots; /* path -> TessSlot (owned) */
  GtkWidget *sidebar;

  /* Budgeted application (tess_reconciler_apply_update_within): new widgets
   * stop being made once the deadline passes (after at least one), and the
   * elements not yet shown are made by the next call. */
  gint64 deadline_us; /* 0: no deadline */
  guint created;
  gboolean incomplete;
};

G_DEFINE_FINAL_TYPE (TessReconciler, tess_reconciler, G_TYPE_OBJECT)

enum
{
  SIGNAL_INPUT_COMMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  TessElement *element;
  char *id;
  TessElementKind kind;
  GtkWidget *content;  /* where the children go; NULL for leaves */
  GPtrArray *children; /* GtkWidget, owned, in order */
  gboolean stale;      /* the widget carries the tess-stale class */
  /* An element whose children were cut short by a deadline, and how many of
   * them were made and complete: the next call resumes there. */
  TessElement *resuming;
  guint resume_index;
} Node;

static GQuark node_quark;

static void
node_free (Node *node)
{
  g_clear_pointer (&node->element, tess_element_unref);
  g_clear_pointer (&node->resuming, tess_element_unref);
  g_free (node->id);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

static Node *
get_node (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), node_quark);
}

static Node *
attach_node (GtkWidget *widget, TessElementKind kind, const char *id, GtkWidget *content)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->id = g_strdup (id);
  node->content = content;
  node->children = g_ptr_array_new_with_free_func (g_object_unref);
  g_object_set_qdata_full (G_OBJECT (widget), node_quark, node, (GDestroyNotify) node_free);
  return node;
}

static void
tess_reconciler_input_commit_cb (GtkWidget *input, const char *key, GVariant *value, gpointer user_data)
{
  TessReconciler *self = user_data;
  g_autoptr (GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;
  g_autoptr (GError) error = NULL;

  g_assert (GTK_IS_WIDGET (input));
  g_assert (TESS_IS_RECONCILER (self));
  TESS_ASSERT_MAIN_THREAD ();

  g_signal_emit (self, signals[SIGNAL_INPUT_COMMITTED], 0, key, owned);
  if (self->session == NULL)
    return;
  if (owned != NULL ? !tess_session_set_input (self->session, key, owned, &error)
                    : !tess_session_press_button (self->session, key, &error))
    g_warning ("Input “%s”: %s", key, error->message);
}

static void
tess_reconciler_slot_retry_cb (TessSlot *slot, TessReconciler *self)
{
  const char *path = tess_slot_get_path (slot);

  g_assert (TESS_IS_SLOT (slot));
  g_assert (TESS_IS_RECONCILER (self));

  if (self->session == NULL)
    return;
  if (path[0] == '\0')
    tess_session_rerun (self->session);
  else
    tess_session_rerun_fragment (self->session, path);
}

static void
tess_reconciler_dispose (GObject *object)
{
  TessReconciler *self = TESS_RECONCILER (object);

  if (self->slots != NULL)
    {
      GHashTableIter iter;
      gpointer slot;

      g_hash_table_iter_init (&iter, self->slots);
      while (g_hash_table_iter_next (&iter, NULL, &slot))
        g_signal_handlers_disconnect_by_data (slot, self);
      g_hash_table_remove_all (self->slots);
    }
  g_clear_weak_pointer (&self->sidebar);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tess_reconciler_parent_class)->dispose (object);
}

static void
tess_reconciler_finalize (GObject *object)
{
  TessReconciler *self = TESS_RECONCILER (object);

  g_clear_pointer (&self->slots, g_hash_table_unref);
  G_OBJECT_CLASS (tess_reconciler_parent_class)->finalize (object);
}

static void
tess_reconciler_class_init (TessReconcilerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tess_reconciler_dispose;
  object_class->finalize = tess_reconciler_finalize;

  /**
   * TessReconciler::input-committed:
   * @key: the input's key
   * @value: (nullable): the new value; NULL for a button press
   *
   * The user changed an input; emitted before the session is told.
   */
  signals[SIGNAL_INPUT_COMMITTED] = g_signal_new ("input-committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_VARIANT);
  node_quark = g_quark_from_static_string ("tess-node");
}

static void
tess_reconciler_init (TessReconciler *self)
{
  self->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

TessReconciler *
tess_reconciler_new (TessSession *session)
{
  TessReconciler *self;

  g_return_val_if_fail (session == NULL || TESS_IS_SESSION (session), NULL);
  TESS_ASSERT_MAIN_THREAD ();

  self = g_object_new (TESS_TYPE_RECONCILER, NULL);
  if (session != NULL)
    self->session = g_object_ref (session);
  return self;
}

TessSession *
tess_reconciler_get_session (TessReconciler *self)
{
  g_return_val_if_fail (TESS_IS_RECONCILER (self), NULL);

  return self->session;
}

void
tess_reconciler_set_sidebar (TessReconciler *self, GtkWidget *sidebar)
{
  g_return_if_fail (TESS_IS_RECONCILER (self));
  g_return_if_fail (sidebar == NULL || GTK_IS_BOX (sidebar));

  g_set_weak_pointer (&self->sidebar, sidebar);
}

TessSlot *
tess_reconciler_ensure_slot (TessReconciler *self, const char *path)
{
  TessSlot *slot;

  g_return_val_if_fail (TESS_IS_RECONCILER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  slot = g_hash_table_lookup (self->slots, path);
  if (slot == NULL)
    {
      slot = TESS_SLOT (g_object_ref_sink (tess_slot_new (path)));
      attach_node (tess_slot_get_content (slot), TESS_ELEMENT_ROOT, "", tess_slot_get_content (slot));
      g_signal_connect (slot, "retry", G_CALLBACK (tess_reconciler_slot_retry_cb), self);
      g_hash_table_insert (self->slots, g_strdup (path), slot);
    }
  return slot;
}

TessSlot *
tess_reconciler_lookup_slot (TessReconciler *self, const char *path)
{
  g_return_val_if_fail (TESS_IS_RECONCILER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_hash_table_lookup (self->slots, path);
}

void
tess_reconciler_remove_slot (TessReconciler *self, const char *path)
{
  TessSlot *slot;

  g_return_if_fail (TESS_IS_RECONCILER (self));
  g_return_if_fail (path != NULL);

  slot = g_hash_table_lookup (self->slots, path);
  if (slot != NULL)
    {
      g_signal_handlers_disconnect_by_data (slot, self);
      g_hash_table_remove (self->slots, path);
    }
}

GList *
tess_reconciler_get_slots (TessReconciler *self)
{
  g_return_val_if_fail (TESS_IS_RECONCILER (self), NULL);

  return g_hash_table_get_values (self->slots);
}

/* Placement: the three kinds of container widget the reconciler fills. */

static void
detach (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  GtkWidget *notebook;

  if (parent == NULL)
    return;
  if (GTK_IS_BOX (parent))
    gtk_box_remove (GTK_BOX (parent), widget);
  else if (TESS_IS_COLUMNS (parent))
    tess_columns_remove (TESS_COLUMNS (parent), widget);
  else if ((notebook = gtk_widget_get_ancestor (widget, GTK_TYPE_NOTEBOOK)) != NULL &&
           gtk_notebook_page_num (GTK_NOTEBOOK (notebook), widget) >= 0)
    gtk_notebook_remove_page (GTK_NOTEBOOK (notebook), gtk_notebook_page_num (GTK_NOTEBOOK (notebook), widget));
}

static gboolean
is_child_of (GtkWidget *content, GtkWidget *widget)
{
  if (GTK_IS_NOTEBOOK (content))
    return gtk_notebook_page_num (GTK_NOTEBOOK (content), widget) >= 0;
  return gtk_widget_get_parent (widget) == content;
}

static void
place (GtkWidget *content, GtkWidget *widget, GtkWidget *previous, guint position)
{
  if (GTK_IS_NOTEBOOK (content))
    {
      GtkNotebook *notebook = GTK_NOTEBOOK (content);
      int current = gtk_notebook_page_num (notebook, widget);

      if (current < 0)
        {
          detach (widget);
          gtk_notebook_insert_page (notebook, widget, NULL, (int) position);
        }
      else if (current != (int) position)
        gtk_notebook_reorder_child (notebook, widget, (int) position);
      return;
    }

  if (gtk_widget_get_parent (widget) == content)
    {
      if (gtk_widget_get_prev_sibling (widget) == previous)
        return;
      if (GTK_IS_BOX (content))
        gtk_box_reorder_child_after (GTK_BOX (content), widget, previous);
      else
        tess_columns_insert_after (TESS_COLUMNS (content), widget, previous);
      return;
    }

  detach (widget);
  if (GTK_IS_BOX (content))
    gtk_box_insert_child_after (GTK_BOX (content), widget, previous);
  else
    tess_columns_insert_after (TESS_COLUMNS (content), widget, previous);
}

static void
unplace (GtkWidget *content, GtkWidget *widget)
{
  if (is_child_of (content, widget))
    {
      if (GTK_IS_NOTEBOOK (content))
        gtk_notebook_remove_page (GTK_NOTEBOOK (content), gtk_notebook_page_num (GTK_NOTEBOOK (content), widget));
      else if (GTK_IS_BOX (content))
        gtk_box_remove (GTK_BOX (content), widget);
      else
        tess_columns_remove (TESS_COLUMNS (content), widget);
    }
}

static void reconcile_children (TessReconciler *self, Node *node, TessElement *element, guint n_fresh);

static void
clear_children (Node *node)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (node->children, i);
      Node *child_node = get_node (child);

      if (child_node != NULL && child_node->kind == TESS_ELEMENT_SIDEBAR)
        clear_children (child_node);
      unplace (node->content, child);
    }
  g_ptr_array_set_size (node->children, 0);
}

static void
update_widget (TessReconciler *self, GtkWidget *widget, TessElement *element)
{
  Node *node = get_node (widget);

  if (node->element == element)
    return;

  if (tess_element_kind_is_input (node->kind))
    {
      g_autoptr (GVariant) value = NULL;
      const char *key = tess_element_get_string (element, "key");

      if (self->session != NULL && key != NULL)
        value = tess_session_get_input_value (self->session, key);
      tess_input_widget_update (widget, element, value);
    }
  else if (node->kind != TESS_ELEMENT_FRAGMENT)
    tess_element_widget_update (widget, element);

  if (node->kind == TESS_ELEMENT_SIDEBAR)
    node->content = self->sidebar != NULL ? self->sidebar : widget;
  if (node->content != NULL)
    {
      if (node->kind == TESS_ELEMENT_SIDEBAR && node->content == widget)
        gtk_widget_set_visible (widget, TRUE);
      reconcile_children (self, node, element, G_MAXUINT);
    }

  /* An element whose subtree is only partly shown is visited again. */
  if (self->incomplete)
    return;
  tess_element_ref (element);
  g_clear_pointer (&node->element, tess_element_unref);
  node->element = element;
}

static gboolean
out_of_time (TessReconciler *self)
{
  if (self->deadline_us == 0 || self->created == 0 || g_get_monotonic_time () < self->deadline_us)
    return FALSE;
  self->incomplete = TRUE;
  return TRUE;
}

static GtkWidget *
create_widget (TessReconciler *self, TessElement *element)
{
  TessElementKind kind = tess_element_get_kind (element);
  GtkWidget *widget;
  GtkWidget *content = NULL;

  /* Counted first, so a new container's own children respect the deadline. */
  self->created++;
  if (kind == TESS_ELEMENT_FRAGMENT)
    {
      const char *path = tess_element_get_string (element, "path");
      widget = GTK_WIDGET (tess_reconciler_ensure_slot (self, path != NULL ? path : tess_element_get_id (element)));
      g_object_ref (widget);
      if (get_node (widget) == NULL)
        attach_node (widget, kind, tess_element_get_id (element), NULL);
      return widget;
    }

  if (tess_element_kind_is_input (kind))
    widget = tess_input_widget_new (kind, tess_reconciler_input_commit_cb, self);
  else
    widget = tess_element_widget_new (kind, &content);
  g_object_ref_sink (widget);
  attach_node (widget, kind, tess_element_get_id (element), content);
  update_widget (self, widget, element);
  return widget;
}

static void
mark_stale (GtkWidget *widget, gboolean stale)
{
  Node *node = get_node (widget);

  if (node->stale == stale)
    return;
  node->stale = stale;
  if (stale)
    gtk_widget_add_css_class (widget, "tess-stale");
  else
    gtk_widget_remove_css_class (widget, "tess-stale");
}

static void
place_child (Node *node, GtkWidget *child, GtkWidget *previous, guint position, TessElement *element)
{
  place (node->content, child, previous, position);
  if (node->kind == TESS_ELEMENT_COLUMNS)
    tess_columns_set_weight (TESS_COLUMNS (node->content), child, tess_element_get_double (element, "weight", 1));
  else if (node->kind == TESS_ELEMENT_TABS)
    {
      const char *label = tess_element_get_string (element, "label");
      if (g_strcmp0 (gtk_notebook_get_tab_label_text (GTK_NOTEBOOK (node->content), child), label) != 0)
        gtk_notebook_set_tab_label_text (GTK_NOTEBOOK (node->content), child, label ?: "");
    }
}

static void
reconcile_children (TessReconciler *self, Node *node, TessElement *element, guint n_fresh)
{
  guint n = tess_element_get_n_children (element);
  GPtrArray *old = node->children;
  g_autoptr (GHashTable) by_id = NULL;
  g_autoptr (GPtrArray) fresh = NULL;
  g_autoptr (GPtrArray) fresh_elements = NULL;
  gboolean aligned = old->len == n;
  guint start = 0;
  guint first_incomplete = G_MAXUINT;

  /* Fast path: same ids in the same order; update in place. */
  for (guint i = 0; aligned && i < n; i++)
    {
      TessElement *child = tess_element_get_child (element, i);
      Node *child_node = get_node (g_ptr_array_index (old, i));

      aligned = child_node->kind == tess_element_get_kind (child) &&
                g_strcmp0 (child_node->id, tess_element_get_id (child)) == 0;
    }
  if (aligned)
    {
      for (guint i = 0; i < n; i++)
        {
          GtkWidget *widget = g_ptr_array_index (old, i);
          TessElement *child = tess_element_get_child (element, i);

          update_widget (self, widget, child);
          /* A slot or sidebar can have been moved away by another parent. */
          if (!is_child_of (node->content, widget))
            place_child (node, widget, i > 0 ? g_ptr_array_index (old, i - 1) : NULL, i, child);
          else if (node->kind == TESS_ELEMENT_COLUMNS || node->kind == TESS_ELEMENT_TABS)
            place_child (node, widget, i > 0 ? g_ptr_array_index (old, i - 1) : NULL, i, child);
          mark_stale (widget, i >= n_fresh);
        }
      return;
    }

  /* Resuming the element a deadline cut short: its first children are made,
   * in place and complete, and are not walked again. A big dashboard filled
   * over many frames would otherwise be walked whole in every one. */
  if (node->resuming == element)
    {
      start = MIN (node->resume_index, MIN (old->len, n));
      for (guint i = 0; i < start; i++)
        if (!is_child_of (node->content, g_ptr_array_index (old, i)))
          {
            start = 0;
            break;
          }
    }

  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = start; i < old->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (old, i);
      /* Ids are unique among siblings; should two collide, the older goes. */
      GtkWidget *twin = g_hash_table_lookup (by_id, get_node (widget)->id);
      if (twin != NULL)
        unplace (node->content, twin);
      g_hash_table_insert (by_id, get_node (widget)->id, widget);
    }

  fresh = g_ptr_array_new_full (n, g_object_unref);
  fresh_elements = g_ptr_array_sized_new (n);
  for (guint i = 0; i < start; i++)
    {
      g_ptr_array_add (fresh, g_object_ref (g_ptr_array_index (old, i)));
      g_ptr_array_add (fresh_elements, tess_element_get_child (element, i));
    }
  for (guint i = start; i < n; i++)
    {
      TessElement *child = tess_element_get_child (element, i);
      GtkWidget *widget = g_hash_table_lookup (by_id, tess_element_get_id (child));

      if (widget != NULL && get_node (widget)->kind == tess_element_get_kind (child))
        {
          g_hash_table_remove (by_id, tess_element_get_id (child));
          update_widget (self, widget, child);
          g_ptr_array_add (fresh, g_object_ref (widget));
        }
      else if (out_of_time (self))
        {
          first_incomplete = MIN (first_incomplete, i);
          continue; /* made by a later call */
        }
      else
        {
          widget = create_widget (self, child);
          g_ptr_array_add (fresh, widget);
        }
      g_ptr_array_add (fresh_elements, child);
      mark_stale (widget, i >= n_fresh);
      if (get_node (widget)->element != child && get_node (widget)->kind != TESS_ELEMENT_FRAGMENT)
        first_incomplete = MIN (first_incomplete, i);
    }

  /* Widgets whose ids are gone leave first, so moves see final neighbours. */
  {
    GHashTableIter iter;
    gpointer widget;

    g_hash_table_iter_init (&iter, by_id);
    while (g_hash_table_iter_next (&iter, NULL, &widget))
      {
        Node *gone = get_node (widget);
        if (gone->kind == TESS_ELEMENT_SIDEBAR && gone->content != NULL && gone->content != widget)
          clear_children (gone);
        unplace (node->content, widget);
      }
  }

  for (guint i = start; i < fresh->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (fresh, i);
      GtkWidget *previous = i > 0 ? g_ptr_array_index (fresh, i - 1) : NULL;

      place_child (node, widget, previous, i, g_ptr_array_index (fresh_elements, i));
    }

  g_ptr_array_unref (node->children);
  node->children = g_steal_pointer (&fresh);
  g_clear_pointer (&node->resuming, tess_element_unref);
  if (self->incomplete)
    {
      node->resuming = tess_element_ref (element);
      node->resume_index = MIN (first_incomplete, node->children->len);
    }
}

static void
apply_root (TessReconciler *self, GtkWidget *box, TessElement *root, guint n_fresh)
{
  Node *node = get_node (box);

  if (node == NULL)
    node = attach_node (box, TESS_ELEMENT_ROOT, "", box);
  if (root == NULL)
    {
      clear_children (node);
      g_clear_pointer (&node->element, tess_element_unref);
      return;
    }
  if (node->element == root && node->children->len > 0)
    {
      /* Same content; only the stale marks may have moved. */
      for (guint i = 0; i < node->children->len; i++)
        mark_stale (g_ptr_array_index (node->children, i), i >= n_fresh);
      return;
    }
  reconcile_children (self, node, root, n_fresh);
  if (self->incomplete)
    return;
  tess_element_ref (root);
  g_clear_pointer (&node->element, tess_element_unref);
  node->element = root;
}

void
tess_reconciler_apply (TessReconciler *self, GtkWidget *box, TessElement *root, guint n_fresh)
{
  g_return_if_fail (TESS_IS_RECONCILER (self));
  g_return_if_fail (GTK_IS_BOX (box));
  TESS_ASSERT_MAIN_THREAD ();

  self->deadline_us = 0;
  self->created = 0;
  self->incomplete = FALSE;
  apply_root (self, box, root, n_fresh);
}

gboolean
tess_reconciler_apply_update_within (TessReconciler *self, const TessScopeUpdate *update, gint64 deadline_us)
{
  TessSlot *slot;
  guint n_fresh = G_MAXUINT;

  g_return_val_if_fail (TESS_IS_RECONCILER (self), TRUE);
  g_return_val_if_fail (update != NULL && update->path != NULL, TRUE);
  TESS_ASSERT_MAIN_THREAD ();

  slot = tess_reconciler_ensure_slot (self, update->path);
  if (update->state == TESS_SCOPE_RUNNING || update->state == TESS_SCOPE_ERROR)
    n_fresh = update->n_fresh;
  /* Output kept over a failed refresh is shown as it was, the slot's badge
   * telling it is old (tess-slot.h): dimming it would restyle all of it. */
  if (update->state == TESS_SCOPE_ERROR && update->n_fresh == 0)
    n_fresh = G_MAXUINT;
  self->deadline_us = deadline_us;
  self->created = 0;
  self->incomplete = FALSE;
  apply_root (self, tess_slot_get_content (slot), update->root, n_fresh);
  self->deadline_us = 0;
  tess_slot_set_state (slot, update);
  return !self->incomplete;
}

void
tess_reconciler_apply_update (TessReconciler *self, const TessScopeUpdate *update)
{
  g_return_if_fail (TESS_IS_RECONCILER (self));
  g_return_if_fail (update != NULL && update->path != NULL);
  TESS_ASSERT_MAIN_THREAD ();

  tess_reconciler_apply_update_within (self, update, 0);
}

GtkWidget *
tess_reconciler_find_widget (GtkWidget *widget, const char *id)
{
  Node *node;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (TESS_IS_SLOT (widget))
    widget = tess_slot_get_content (TESS_SLOT (widget));
  node = get_node (widget);
  if (node == NULL)
    return NULL;
  for (guint i = 0; i < node->children->len; i++)
    {
      GtkWidget *child = g_ptr_array_index (node->children, i);
      Node *child_node = get_node (child);
      GtkWidget *found;

      if (g_strcmp0 (child_node->id, id) == 0)
        return child;
      if (child_node->kind != TESS_ELEMENT_FRAGMENT && child_node->children->len > 0 &&
          (found = tess_reconciler_find_widget (child, id)) != NULL)
        return found;
    }
  return NULL;
}

TessElement *
tess_reconciler_get_widget_element (GtkWidget *widget)
{
  Node *node;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  node = get_node (widget);
  return node != NULL ? node->element : NULL;
}
