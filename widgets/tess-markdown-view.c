/* tess-markdown-view.c: cmark-gfm's tree walked into labels with Pango markup.
 *
 * Markdown is GitHub-flavoured: CommonMark plus tables, strikethrough and
 * autolinks. Blocks map to widgets (a label per paragraph, heading and list
 * item, a monospace card per code block, a separator per thematic break, a
 * grid per table); inline nodes map to markup. Every text run is escaped, so
 * no input can inject markup.
 */
#include "tess-markdown-view.h"
#include "tess-thread-private.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <string.h>

struct _TessMarkdownView
{
  GtkWidget parent_instance;

  char *text;
};

G_DEFINE_FINAL_TYPE (TessMarkdownView, tess_markdown_view, GTK_TYPE_WIDGET)

/* The nodes an extension adds have types numbered at run time, so they are
 * told apart by name ("table", "table_header", "table_row", "table_cell",
 * "strikethrough"). */
static gboolean
node_is (cmark_node *node, const char *type_name)
{
  return g_strcmp0 (cmark_node_get_type_string (node), type_name) == 0;
}

/* Parses @markdown with GitHub's extensions; the caller frees the document
 * with cmark_node_free(). Any thread: the extensions' registry is filled
 * once, before the first parser is made. */
static cmark_node *
parse_markdown (const char *markdown)
{
  static const char *const extensions[] = { "table", "strikethrough", "autolink" };
  static gsize registered = 0;
  cmark_parser *parser;
  cmark_node *document;

  if (g_once_init_enter (&registered))
    {
      cmark_gfm_core_extensions_ensure_registered ();
      g_once_init_leave (&registered, 1);
    }
  parser = cmark_parser_new (CMARK_OPT_DEFAULT);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      cmark_syntax_extension *extension = cmark_find_syntax_extension (extensions[i]);

      g_assert (extension != NULL);
      cmark_parser_attach_syntax_extension (parser, extension);
    }
  cmark_parser_feed (parser, markdown, strlen (markdown));
  document = cmark_parser_finish (parser);
  cmark_parser_free (parser);
  return document;
}

static void
append_escaped (GString *out, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);
  g_string_append (out, escaped);
}

static void
append_inlines (GString *out, cmark_node *parent)
{
  for (cmark_node *node = cmark_node_first_child (parent); node != NULL; node = cmark_node_next (node))
    {
      if (node_is (node, "strikethrough"))
        {
          g_string_append (out, "<s>");
          append_inlines (out, node);
          g_string_append (out, "</s>");
          continue;
        }
      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_HTML_INLINE:
          append_escaped (out, cmark_node_get_literal (node));
          break;
        case CMARK_NODE_CODE:
          g_string_append (out, "<tt>");
          append_escaped (out, cmark_node_get_literal (node));
          g_string_append (out, "</tt>");
          break;
        case CMARK_NODE_SOFTBREAK:
          g_string_append_c (out, ' ');
          break;
        case CMARK_NODE_LINEBREAK:
          g_string_append_c (out, '\n');
          break;
        case CMARK_NODE_EMPH:
          g_string_append (out, "<i>");
          append_inlines (out, node);
          g_string_append (out, "</i>");
          break;
        case CMARK_NODE_STRONG:
          g_string_append (out, "<b>");
          append_inlines (out, node);
          g_string_append (out, "</b>");
          break;
        case CMARK_NODE_LINK:
          {
            g_autofree char *href = g_markup_escape_text (cmark_node_get_url (node) ?: "", -1);
            g_string_append_printf (out, "<a href=\"%s\">", href);
            append_inlines (out, node);
            g_string_append (out, "</a>");
          }
          break;
        case CMARK_NODE_IMAGE:
          append_inlines (out, node); /* the alt text */
          break;
        default:
          append_inlines (out, node);
          break;
        }
    }
}

static GtkWidget *
markup_label (const char *markup, const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_can_focus (label, FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void append_blocks (GtkWidget *box, cmark_node *parent, int depth);

/* A table as a grid of labels, one per cell at (column, row) with the header
 * as row 0, in bold; each column aligned as its delimiter row says (":--",
 * ":-:", "--:"). */
static GtkWidget *
table_widget (cmark_node *table)
{
  GtkWidget *grid = g_object_new (GTK_TYPE_GRID, "accessible-role", GTK_ACCESSIBLE_ROLE_TABLE, "column-spacing", 18,
                                  "row-spacing", 6, "halign", GTK_ALIGN_START, NULL);
  guint n_columns = cmark_gfm_extensions_get_table_columns (table);
  const uint8_t *alignments = cmark_gfm_extensions_get_table_alignments (table);
  int row = 0;

  gtk_widget_add_css_class (grid, "tess-md-table");
  for (cmark_node *row_node = cmark_node_first_child (table); row_node != NULL;
       row_node = cmark_node_next (row_node), row++)
    {
      gboolean header = cmark_gfm_extensions_get_table_row_is_header (row_node);
      guint column = 0;

      for (cmark_node *cell = cmark_node_first_child (row_node); cell != NULL && column < n_columns;
           cell = cmark_node_next (cell), column++)
        {
          g_autoptr (GString) markup = g_string_new (header ? "<b>" : NULL);
          GtkWidget *label;

          append_inlines (markup, cell);
          if (header)
            g_string_append (markup, "</b>");
          label = markup_label (markup->str, header ? "tess-md-table-header" : "tess-md-table-cell");
          switch (alignments != NULL ? alignments[column] : 0)
            {
            case 'r':
              gtk_label_set_xalign (GTK_LABEL (label), 1);
              gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
              break;
            case 'c':
              gtk_label_set_xalign (GTK_LABEL (label), 0.5);
              gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
              break;
            default:
              break;
            }
          gtk_grid_attach (GTK_GRID (grid), label, column, row, 1, 1);
        }
    }
  return grid;
}

static GtkWidget *
block_widget (cmark_node *node, int depth)
{
  if (node_is (node, "table"))
    return table_widget (node);

  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_PARAGRAPH:
      {
        g_autoptr (GString) markup = g_string_new (NULL);
        append_inlines (markup, node);
        return markup_label (markup->str, "tess-md-paragraph");
      }
    case CMARK_NODE_HEADING:
      {
        static const char *classes[] = { "title-1", "title-2", "title-3", "title-4", "heading", "heading" };
        int level = CLAMP (cmark_node_get_heading_level (node), 1, 6);
        g_autoptr (GString) markup = g_string_new (NULL);
        GtkWidget *label;

        append_inlines (markup, node);
        label = markup_label (markup->str, classes[level - 1]);
        gtk_widget_add_css_class (label, "tess-md-heading");
        return label;
      }
    case CMARK_NODE_CODE_BLOCK:
      {
        g_autofree char *escaped = NULL;
        const char *literal = cmark_node_get_literal (node) ?: "";
        gsize len = strlen (literal);
        GtkWidget *label;

        while (len > 0 && literal[len - 1] == '\n')
          len--;
        escaped = g_markup_escape_text (literal, len);
        label = markup_label (escaped, "monospace");
        gtk_label_set_wrap (GTK_LABEL (label), FALSE);
        gtk_widget_add_css_class (label, "tess-code");
        gtk_widget_add_css_class (label, "card");
        return label;
      }
    case CMARK_NODE_HTML_BLOCK:
      {
        g_autofree char *escaped = g_markup_escape_text (cmark_node_get_literal (node) ?: "", -1);
        return markup_label (escaped, NULL);
      }
    case CMARK_NODE_THEMATIC_BREAK:
      return gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
    case CMARK_NODE_BLOCK_QUOTE:
      {
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
        gtk_widget_add_css_class (box, "tess-md-quote");
        append_blocks (box, node, depth);
        return box;
      }
    case CMARK_NODE_LIST:
      {
        GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
        gboolean ordered = cmark_node_get_list_type (node) == CMARK_ORDERED_LIST;
        int number = cmark_node_get_list_start (node);

        gtk_widget_add_css_class (list, "tess-md-list");
        gtk_widget_set_margin_start (list, depth > 0 ? 18 : 6);
        for (cmark_node *item = cmark_node_first_child (node); item != NULL; item = cmark_node_next (item), number++)
          {
            GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
            GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
            g_autofree char *marker = ordered ? g_strdup_printf ("%d.", number) : g_strdup ("•");
            GtkWidget *bullet = gtk_label_new (marker);

            gtk_widget_set_valign (bullet, GTK_ALIGN_START);
            gtk_widget_add_css_class (bullet, "tess-md-bullet");
            gtk_widget_set_hexpand (body, TRUE);
            append_blocks (body, item, depth + 1);
            gtk_box_append (GTK_BOX (row), bullet);
            gtk_box_append (GTK_BOX (row), body);
            gtk_box_append (GTK_BOX (list), row);
          }
        return list;
      }
    default:
      return NULL;
    }
}

static void
append_blocks (GtkWidget *box, cmark_node *parent, int depth)
{
  for (cmark_node *node = cmark_node_first_child (parent); node != NULL; node = cmark_node_next (node))
    {
      GtkWidget *child = block_widget (node, depth);
      if (child != NULL)
        gtk_box_append (GTK_BOX (box), child);
    }
}

static void
tess_markdown_view_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tess_markdown_view_parent_class)->dispose (object);
}

static void
tess_markdown_view_finalize (GObject *object)
{
  TessMarkdownView *self = TESS_MARKDOWN_VIEW (object);

  g_free (self->text);
  G_OBJECT_CLASS (tess_markdown_view_parent_class)->finalize (object);
}

static void
tess_markdown_view_class_init (TessMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_markdown_view_dispose;
  object_class->finalize = tess_markdown_view_finalize;
  gtk_widget_class_set_css_name (widget_class, "tess-markdown");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
tess_markdown_view_init (TessMarkdownView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);
}

GtkWidget *
tess_markdown_view_new (void)
{
  return g_object_new (TESS_TYPE_MARKDOWN_VIEW, NULL);
}

void
tess_markdown_view_set_text (TessMarkdownView *self, const char *markdown)
{
  GtkWidget *child;
  cmark_node *document;
  GtkWidget *box;

  g_return_if_fail (TESS_IS_MARKDOWN_VIEW (self));
  TESS_ASSERT_MAIN_THREAD ();

  if (markdown == NULL)
    markdown = "";
  if (g_strcmp0 (self->text, markdown) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (markdown);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  document = parse_markdown (markdown);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  append_blocks (box, document, 0);
  cmark_node_free (document);
  /* The blocks become our own children so the view is one flat column. */
  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      g_object_ref (child);
      gtk_box_remove (GTK_BOX (box), child);
      gtk_widget_set_parent (child, GTK_WIDGET (self));
      g_object_unref (child);
    }
  g_object_ref_sink (box);
  g_object_unref (box);
}

const char *
tess_markdown_view_get_text (TessMarkdownView *self)
{
  g_return_val_if_fail (TESS_IS_MARKDOWN_VIEW (self), NULL);

  return self->text;
}

char *
tess_markdown_inline_to_markup (const char *markdown)
{
  g_autoptr (GString) out = g_string_new (NULL);
  cmark_node *document;
  cmark_node *first;

  g_return_val_if_fail (markdown != NULL, NULL);

  document = parse_markdown (markdown);
  first = cmark_node_first_child (document);
  if (first != NULL)
    append_inlines (out, first);
  cmark_node_free (document);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
