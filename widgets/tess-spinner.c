/* tess-spinner.c: a ring whose arc turns in steps on the frame clock.
 *
 * The step comes from the frame time, so every spinner of a window is at the
 * same step and they all redraw in the same frame, a sixteenth of a second
 * apart; the frames between have nothing of theirs to paint.
 */
#include "tess-spinner.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define STEPS_PER_TURN 16
#define TURN_US G_USEC_PER_SEC
#define SIZE 16

struct _TessSpinner
{
  GtkWidget parent_instance;

  gboolean spinning;
  guint tick_id;
  int step;
};

G_DEFINE_FINAL_TYPE (TessSpinner, tess_spinner, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SPINNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
step_at (gint64 frame_time_us)
{
  return (int) ((frame_time_us / (TURN_US / STEPS_PER_TURN)) % STEPS_PER_TURN);
}

static gboolean
tess_spinner_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  TessSpinner *self = TESS_SPINNER (widget);
  int step = step_at (gdk_frame_clock_get_frame_time (clock));

  g_assert (TESS_IS_SPINNER (widget));
  g_assert (GDK_IS_FRAME_CLOCK (clock));

  if (step != self->step)
    {
      self->step = step;
      gtk_widget_queue_draw (widget);
    }
  return G_SOURCE_CONTINUE;
}

static void
update_ticking (TessSpinner *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ticking = self->spinning && gtk_widget_get_mapped (widget);

  if (ticking && self->tick_id == 0)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

      if (clock != NULL)
        self->step = step_at (gdk_frame_clock_get_frame_time (clock));
      self->tick_id = gtk_widget_add_tick_callback (widget, tess_spinner_tick_cb, NULL, NULL);
    }
  else if (!ticking && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }
}

static void
tess_spinner_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tess_spinner_parent_class)->map (widget);
  update_ticking (TESS_SPINNER (widget));
}

static void
tess_spinner_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tess_spinner_parent_class)->unmap (widget);
  update_ticking (TESS_SPINNER (widget));
}

static void
tess_spinner_measure (GtkWidget *widget,
                      GtkOrientation orientation,
                      int for_size,
                      int *minimum,
                      int *natural,
                      int *minimum_baseline,
                      int *natural_baseline)
{
  *minimum = *natural = SIZE;
}

/* The sixteen steps of one colour and scale, drawn once: stroking arcs is
 * the slow part of software rendering, and a texture is a copy. */
typedef struct
{
  GdkRGBA color;
  int scale;
  GdkTexture *steps[STEPS_PER_TURN];
} StepTextures;

static GdkTexture *
draw_step (const GdkRGBA *color, int scale, int step)
{
  int size = SIZE * scale;
  double line = 2, radius = (SIZE - line) / 2;
  double start = -G_PI / 2 + step * 2 * G_PI / STEPS_PER_TURN;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  g_autoptr (GBytes) bytes = NULL;
  GdkTexture *texture;

  cairo_scale (cr, scale, scale);
  cairo_set_line_width (cr, line);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* The track, faint; then the arc. */
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * 0.2);
  cairo_arc (cr, SIZE / 2.0, SIZE / 2.0, radius, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * 0.8);
  cairo_arc (cr, SIZE / 2.0, SIZE / 2.0, radius, start, start + G_PI / 2);
  cairo_stroke (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* Cairo's ARGB32 is GDK's default memory format. */
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) cairo_image_surface_get_stride (surface) * size);
  texture = gdk_memory_texture_new (size, size, GDK_MEMORY_DEFAULT, bytes, cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

/* A few colours at most (light, dark, a selected row's): the newest first. */
static GdkTexture *
step_texture (const GdkRGBA *color, int scale, int step)
{
  static StepTextures cache[4];
  StepTextures entry;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cache); i++)
    if (cache[i].scale == scale && gdk_rgba_equal (&cache[i].color, color))
      break;
  if (i == G_N_ELEMENTS (cache))
    {
      /* Not there: the oldest goes. */
      i = G_N_ELEMENTS (cache) - 1;
      for (guint s = 0; s < STEPS_PER_TURN; s++)
        g_clear_object (&cache[i].steps[s]);
      cache[i].color = *color;
      cache[i].scale = scale;
    }
  entry = cache[i];
  memmove (&cache[1], &cache[0], i * sizeof cache[0]);
  cache[0] = entry;
  if (cache[0].steps[step] == NULL)
    cache[0].steps[step] = draw_step (color, scale, step);
  return cache[0].steps[step];
}

static void
tess_spinner_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TessSpinner *self = TESS_SPINNER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA color;

  if (!self->spinning || width < SIZE || height < SIZE)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_snapshot_append_texture (snapshot, step_texture (&color, gtk_widget_get_scale_factor (widget), self->step),
                               &GRAPHENE_RECT_INIT ((width - SIZE) / 2, (height - SIZE) / 2, SIZE, SIZE));
}

static void
tess_spinner_dispose (GObject *object)
{
  TessSpinner *self = TESS_SPINNER (object);

  /* Stops ticking (and counting as turning) the one way it starts and stops. */
  self->spinning = FALSE;
  update_ticking (self);
  G_OBJECT_CLASS (tess_spinner_parent_class)->dispose (object);
}

static void
tess_spinner_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TessSpinner *self = TESS_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      g_value_set_boolean (value, self->spinning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tess_spinner_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TessSpinner *self = TESS_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      tess_spinner_set_spinning (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tess_spinner_class_init (TessSpinnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tess_spinner_dispose;
  object_class->get_property = tess_spinner_get_property;
  object_class->set_property = tess_spinner_set_property;
  widget_class->map = tess_spinner_map;
  widget_class->unmap = tess_spinner_unmap;
  widget_class->measure = tess_spinner_measure;
  widget_class->snapshot = tess_spinner_snapshot;

  properties[PROP_SPINNING] = g_param_spec_boolean (
      "spinning", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "tess-spinner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
tess_spinner_init (TessSpinner *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Working"), -1);
}

GtkWidget *
tess_spinner_new (void)
{
  return g_object_new (TESS_TYPE_SPINNER, NULL);
}

void
tess_spinner_set_spinning (TessSpinner *self, gboolean spinning)
{
  g_return_if_fail (TESS_IS_SPINNER (self));

  spinning = !!spinning;
  if (self->spinning == spinning)
    return;
  self->spinning = spinning;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, spinning, -1);
  update_ticking (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPINNING]);
}

gboolean
tess_spinner_get_spinning (TessSpinner *self)
{
  g_return_val_if_fail (TESS_IS_SPINNER (self), FALSE);

  return self->spinning;
}
