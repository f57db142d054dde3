/* tess-columns.c: a container that gives its children widths by weight.
 *
 * Allocation: each child's target is its share of the width by weight; a child
 * whose target is below its minimum gets its minimum and leaves the pool, and
 * the rest is shared again among the others.
 *
 * A width narrower than the columns' minimums together (a chart's minimum
 * in each, say) stacks them: one column, the full width, one under the
 * other, rather than charts squeezed below their minimum or cut off.
 */
#include "tess-columns.h"
#include "tess-thread-private.h"

#include <math.h>

#define TESS_COLUMNS_SPACING 18
/* Between stacked columns: as between the sections of a slot. */
#define TESS_COLUMNS_STACKED_SPACING 12

struct _TessColumns
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TessColumns, tess_columns, GTK_TYPE_WIDGET)

static GQuark weight_quark;

static double
child_weight (GtkWidget *child)
{
  gpointer p = g_object_get_qdata (G_OBJECT (child), weight_quark);
  return p != NULL ? *(double *) p : 1.0;
}

/* Fills @widths (one per visible child) for a total @width. */
static void
compute_widths (TessColumns *self, int width, GArray *children, int *widths)
{
  guint n = children->len;
  g_autofree gboolean *fixed = g_new0 (gboolean, n);
  g_autofree int *mins = g_new0 (int, n);
  int avail = width - TESS_COLUMNS_SPACING * (int) (n > 0 ? n - 1 : 0);
  gboolean changed = TRUE;

  for (guint i = 0; i < n; i++)
    gtk_widget_measure (g_array_index (children, GtkWidget *, i), GTK_ORIENTATION_HORIZONTAL, -1, &mins[i], NULL, NULL,
                        NULL);

  while (changed)
    {
      double total_weight = 0;
      int pool = avail;

      changed = FALSE;
      for (guint i = 0; i < n; i++)
        {
          if (fixed[i])
            pool -= mins[i];
          else
            total_weight += child_weight (g_array_index (children, GtkWidget *, i));
        }
      for (guint i = 0; i < n; i++)
        {
          double share;

          if (fixed[i])
            {
              widths[i] = mins[i];
              continue;
            }
          share = total_weight > 0 ? pool * child_weight (g_array_index (children, GtkWidget *, i)) / total_weight : 0;
          if (share < mins[i])
            {
              fixed[i] = TRUE;
              changed = TRUE;
              break;
            }
          widths[i] = (int) share;
        }
    }
}

/* Whether @width is too narrow for the columns side by side. */
static gboolean
stacks_at (GArray *children, int width)
{
  int needed = TESS_COLUMNS_SPACING * (int) (children->len > 0 ? children->len - 1 : 0);

  if (width < 0 || children->len < 2)
    return FALSE;
  for (guint i = 0; i < children->len; i++)
    {
      int min;

      gtk_widget_measure (g_array_index (children, GtkWidget *, i), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL,
                          NULL);
      needed += min;
    }
  return width < needed;
}

static GArray *
visible_children (TessColumns *self)
{
  GArray *children = g_array_new (FALSE, FALSE, sizeof (GtkWidget *));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      g_array_append_val (children, child);
  return children;
}

static void
tess_columns_measure (GtkWidget *widget,
                      GtkOrientation orientation,
                      int for_size,
                      int *minimum,
                      int *natural,
                      int *minimum_baseline,
                      int *natural_baseline)
{
  TessColumns *self = TESS_COLUMNS (widget);
  g_autoptr (GArray) children = visible_children (self);
  int spacing = TESS_COLUMNS_SPACING * (int) (children->len > 0 ? children->len - 1 : 0);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Side by side at the natural width; as narrow as the widest, stacked. */
      for (guint i = 0; i < children->len; i++)
        {
          int min, nat;
          gtk_widget_measure (g_array_index (children, GtkWidget *, i), orientation, -1, &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural += nat;
        }
      *natural += spacing;
    }
  else if (stacks_at (children, for_size))
    {
      for (guint i = 0; i < children->len; i++)
        {
          int min, nat;
          gtk_widget_measure (g_array_index (children, GtkWidget *, i), orientation, for_size, &min, &nat, NULL, NULL);
          *minimum += min + (i > 0 ? TESS_COLUMNS_STACKED_SPACING : 0);
          *natural += nat + (i > 0 ? TESS_COLUMNS_STACKED_SPACING : 0);
        }
    }
  else
    {
      g_autofree int *widths = g_new0 (int, MAX (children->len, 1));

      if (for_size >= 0)
        compute_widths (self, for_size, children, widths);
      for (guint i = 0; i < children->len; i++)
        {
          int min, nat;
          gtk_widget_measure (g_array_index (children, GtkWidget *, i), orientation, for_size >= 0 ? widths[i] : -1,
                              &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural = MAX (*natural, nat);
        }
    }
  if (minimum_baseline)
    *minimum_baseline = -1;
  if (natural_baseline)
    *natural_baseline = -1;
}

static void
tess_columns_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TessColumns *self = TESS_COLUMNS (widget);
  g_autoptr (GArray) children = visible_children (self);
  g_autofree int *widths = g_new0 (int, MAX (children->len, 1));
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x = 0;

  if (stacks_at (children, width))
    {
      int y = 0;

      for (guint i = 0; i < children->len; i++)
        {
          GtkWidget *child = g_array_index (children, GtkWidget *, i);
          int child_height;

          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &child_height, NULL, NULL);
          gtk_widget_size_allocate (child, &(GtkAllocation){ 0, y, width, child_height }, -1);
          y += child_height + TESS_COLUMNS_STACKED_SPACING;
        }
      return;
    }
  compute_widths (self, width, children, widths);
  for (guint i = 0; i < children->len; i++)
    {
      GtkWidget *child = g_array_index (children, GtkWidget *, i);
      int cx = rtl ? width - x - widths[i] : x;

      gtk_widget_size_allocate (child, &(GtkAllocation){ cx, 0, widths[i], height }, -1);
      x += widths[i] + TESS_COLUMNS_SPACING;
    }
}

static GtkSizeRequestMode
tess_columns_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tess_columns_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tess_columns_parent_class)->dispose (object);
}

static void
tess_columns_class_init (TessColumnsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_columns_dispose;
  widget_class->measure = tess_columns_measure;
  widget_class->size_allocate = tess_columns_size_allocate;
  widget_class->get_request_mode = tess_columns_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "tess-columns");
  weight_quark = g_quark_from_static_string ("tess-columns-weight");
}

static void
tess_columns_init (TessColumns *self)
{
}

GtkWidget *
tess_columns_new (void)
{
  return g_object_new (TESS_TYPE_COLUMNS, NULL);
}

void
tess_columns_insert_after (TessColumns *self, GtkWidget *child, GtkWidget *sibling)
{
  g_return_if_fail (TESS_IS_COLUMNS (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (sibling == NULL || gtk_widget_get_parent (sibling) == GTK_WIDGET (self));
  TESS_ASSERT_MAIN_THREAD ();

  gtk_widget_insert_after (child, GTK_WIDGET (self), sibling);
}

void
tess_columns_remove (TessColumns *self, GtkWidget *child)
{
  g_return_if_fail (TESS_IS_COLUMNS (self));
  g_return_if_fail (gtk_widget_get_parent (child) == GTK_WIDGET (self));

  gtk_widget_unparent (child);
}

void
tess_columns_set_weight (TessColumns *self, GtkWidget *child, double weight)
{
  double *p;

  g_return_if_fail (TESS_IS_COLUMNS (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  TESS_ASSERT_MAIN_THREAD ();

  if (weight <= 0 || !isfinite (weight))
    weight = 1.0;
  if (child_weight (child) == weight)
    return;
  p = g_new (double, 1);
  *p = weight;
  g_object_set_qdata_full (G_OBJECT (child), weight_quark, p, g_free);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

double
tess_columns_get_weight (TessColumns *self, GtkWidget *child)
{
  g_return_val_if_fail (TESS_IS_COLUMNS (self), 1.0);
  g_return_val_if_fail (GTK_IS_WIDGET (child), 1.0);

  return child_weight (child);
}
