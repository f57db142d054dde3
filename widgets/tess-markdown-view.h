/* tess-markdown-view.h: TessMarkdownView, GitHub-flavoured markdown rendered
 * as GTK labels.
 *
 * The text is parsed with cmark-gfm; each block becomes a label whose inline
 * content (emphasis, strong, strikethrough, code, links and autolinks) is Pango
 * markup: headings, paragraphs, bullet and ordered lists (nested), block quotes,
 * code blocks, rules, and tables (a GtkGrid of labels, the header row bold).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TESS_TYPE_MARKDOWN_VIEW (tess_markdown_view_get_type ())
G_DECLARE_FINAL_TYPE (TessMarkdownView, tess_markdown_view, TESS, MARKDOWN_VIEW, GtkWidget)

GtkWidget *tess_markdown_view_new (void);
/* Replaces the shown document; the same text again changes nothing. Main thread only. */
void tess_markdown_view_set_text (TessMarkdownView *self, const char *markdown);
const char *tess_markdown_view_get_text (TessMarkdownView *self);

/* The Pango markup of one paragraph's inline content, for tests and for
 * labels elsewhere: "**a** `b` ~~c~~" gives "<b>a</b> <tt>b</tt> <s>c</s>". */
char *tess_markdown_inline_to_markup (const char *markdown);

G_END_DECLS
