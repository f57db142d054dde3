/* tess-json-view.c: a lazily built tree of expanders over a JsonNode. */
#include "tess-json-view.h"
#include "tess-thread-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

struct _TessJsonView
{
  GtkWidget parent_instance;

  char *text;
  gboolean expanded;
  GtkWidget *root;
};

G_DEFINE_FINAL_TYPE (TessJsonView, tess_json_view, GTK_TYPE_WIDGET)

static GtkWidget *node_widget (const char *key, JsonNode *node);

static char *
scalar_markup (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("<span foreground=\"#888888\">null</span>");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        g_autofree char *escaped = g_markup_escape_text (json_node_get_string (node), -1);
        return g_strdup_printf ("<span foreground=\"#2a7f3f\">\"%s\"</span>", escaped);
      }
    case G_TYPE_BOOLEAN:
      return g_strdup_printf ("<span foreground=\"#a0529b\">%s</span>",
                              json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("<span foreground=\"#1c71d8\">%" G_GINT64_FORMAT "</span>", json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node));
        return g_strdup_printf ("<span foreground=\"#1c71d8\">%s</span>", buf);
      }
    default:
      return g_strdup ("?");
    }
}

static void
tess_json_view_expander_expanded_cb (GtkExpander *expander, GParamSpec *pspec, gpointer user_data)
{
  JsonNode *node = g_object_get_data (G_OBJECT (expander), "tess-json-node");
  GtkWidget *box;

  g_assert (GTK_IS_EXPANDER (expander));

  if (!gtk_expander_get_expanded (expander) || gtk_expander_get_child (expander) != NULL || node == NULL)
    return;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (box, 18);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &member, &value))
        gtk_box_append (GTK_BOX (box), node_widget (member, value));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          char key[32];
          g_snprintf (key, sizeof key, "%u", i);
          gtk_box_append (GTK_BOX (box), node_widget (key, json_array_get_element (array, i)));
        }
    }
  gtk_expander_set_child (expander, box);
}

static GtkWidget *
node_widget (const char *key, JsonNode *node)
{
  g_autoptr (GString) markup = g_string_new (NULL);

  if (key != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (key, -1);
      g_string_append_printf (markup, "<b>%s</b>: ", escaped);
    }

  if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    {
      GtkWidget *expander = gtk_expander_new (NULL);
      gboolean is_object = JSON_NODE_HOLDS_OBJECT (node);
      guint n = is_object ? json_object_get_size (json_node_get_object (node))
                          : json_array_get_length (json_node_get_array (node));

      g_autofree char *count = is_object ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key", "%u keys", n), n)
                                         : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n), n);

      g_string_append_printf (markup, "%s <span foreground=\"#888888\">%s</span>", is_object ? "{…}" : "[…]", count);
      gtk_expander_set_label (GTK_EXPANDER (expander), markup->str);
      gtk_expander_set_use_markup (GTK_EXPANDER (expander), TRUE);
      g_object_set_data_full (G_OBJECT (expander), "tess-json-node", json_node_ref (node),
                              (GDestroyNotify) json_node_unref);
      g_signal_connect (expander, "notify::expanded", G_CALLBACK (tess_json_view_expander_expanded_cb), NULL);
      gtk_widget_add_css_class (expander, "monospace");
      return expander;
    }
  else
    {
      g_autofree char *value = scalar_markup (node);
      GtkWidget *label = gtk_label_new (NULL);

      g_string_append (markup, value);
      gtk_label_set_markup (GTK_LABEL (label), markup->str);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_can_focus (label, FALSE);
      gtk_widget_add_css_class (label, "monospace");
      return label;
    }
}

static void
tess_json_view_dispose (GObject *object)
{
  TessJsonView *self = TESS_JSON_VIEW (object);

  g_clear_pointer (&self->root, gtk_widget_unparent);
  G_OBJECT_CLASS (tess_json_view_parent_class)->dispose (object);
}

static void
tess_json_view_finalize (GObject *object)
{
  TessJsonView *self = TESS_JSON_VIEW (object);

  g_free (self->text);
  G_OBJECT_CLASS (tess_json_view_parent_class)->finalize (object);
}

static void
tess_json_view_class_init (TessJsonViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_json_view_dispose;
  object_class->finalize = tess_json_view_finalize;
  gtk_widget_class_set_css_name (widget_class, "tess-json");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tess_json_view_init (TessJsonView *self)
{
}

GtkWidget *
tess_json_view_new (void)
{
  return g_object_new (TESS_TYPE_JSON_VIEW, NULL);
}

void
tess_json_view_set_text (TessJsonView *self, const char *json_text, gboolean expanded)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TESS_IS_JSON_VIEW (self));
  TESS_ASSERT_MAIN_THREAD ();

  if (json_text == NULL)
    json_text = "null";
  if (g_strcmp0 (self->text, json_text) == 0 && self->expanded == expanded)
    return;
  g_free (self->text);
  self->text = g_strdup (json_text);
  self->expanded = expanded;
  g_clear_pointer (&self->root, gtk_widget_unparent);

  if (!json_parser_load_from_data (parser, json_text, -1, &error))
    {
      g_autofree char *message = g_strdup_printf (_ ("Not valid JSON: %s"), error->message);
      self->root = gtk_label_new (message);
      gtk_label_set_xalign (GTK_LABEL (self->root), 0);
      gtk_label_set_wrap (GTK_LABEL (self->root), TRUE);
      gtk_widget_add_css_class (self->root, "error");
    }
  else
    {
      self->root = node_widget (NULL, json_parser_get_root (parser));
      if (GTK_IS_EXPANDER (self->root) && expanded)
        gtk_expander_set_expanded (GTK_EXPANDER (self->root), TRUE);
    }
  gtk_widget_set_parent (self->root, GTK_WIDGET (self));
}

GtkExpander *
tess_json_view_get_root_expander (TessJsonView *self)
{
  g_return_val_if_fail (TESS_IS_JSON_VIEW (self), NULL);

  return GTK_IS_EXPANDER (self->root) ? GTK_EXPANDER (self->root) : NULL;
}
