/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-print"

#include "config.h"

#include <glib/gi18n.h>

#include "story-print.h"
#include "story-text.h"

/*
 * The map as an image, and a printed handout for a class: the map as it is
 * shown with numbered markers, then the article with each mention of a
 * place numbered to match. Paragraphs are never split across pages.
 */

/**
 * story_map_view_render:
 * @scale: 1 for screen resolution, 2 for twice as many pixels
 *
 * Returns: (transfer full) (nullable): the map with its markers and
 *   attribution, as shown
 */
GdkTexture *
story_map_view_render (StoryMapView *self,
                       int           scale)
{
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (self));
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  int width = gtk_widget_get_width (map);
  int height = gtk_widget_get_height (map);

  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);
  g_return_val_if_fail (scale >= 1 && scale <= 4, NULL);

  if (native == NULL || width <= 0 || height <= 0)
    return NULL;

  paintable = gtk_widget_paintable_new (map);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_scale (snapshot, scale, scale);
  /* The sea shows where no tile has arrived yet. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.667, 0.827, 0.875, 1.0 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return NULL;

  return gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width * scale, height * scale));
}

gboolean
story_map_view_export_png (StoryMapView  *self,
                           const char    *path,
                           int            scale,
                           GError       **error)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  texture = story_map_view_render (self, scale);
  if (texture == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The map is not on screen, so there is nothing to export"));
      return FALSE;
    }

  if (!gdk_texture_save_to_png (texture, path))
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”"), name);
      return FALSE;
    }

  return TRUE;
}

/* Printing ------------------------------------------------------------------ */

typedef struct
{
  StoryDocument   *document;
  StoryMapView    *map_view;
  cairo_surface_t *map;          /* the map with numbered markers */
  GArray          *page_starts;  /* first paragraph of each page */
  double           map_height;   /* on the first page, in points */
} Handout;

static void
handout_free (Handout *h)
{
  g_clear_object (&h->document);
  g_clear_pointer (&h->map, cairo_surface_destroy);
  g_clear_pointer (&h->page_starts, g_array_unref);
  g_free (h);
}

/* The map texture as a cairo surface, with a numbered disc on each place. */
static cairo_surface_t *
numbered_map (Handout *h)
{
  g_autoptr(GdkTexture) texture = story_map_view_render (h->map_view, 2);
  ShumateViewport *viewport = story_map_view_get_viewport (h->map_view);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (h->map_view));
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height;

  if (texture == NULL)
    return NULL;

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_surface_flush (surface);
  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);

  cr = cairo_create (surface);
  cairo_scale (cr, 2, 2);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 11);

  for (guint i = 0; i < story_document_get_n_places (h->document); i++)
    {
      StoryPlace *place = story_document_get_place (h->document, i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      cairo_text_extents_t ext;
      double lat, lon, x, y;

      story_place_get_anchor (place, &lat, &lon);
      shumate_viewport_location_to_widget_coords (viewport, map, lat, lon, &x, &y);
      if (x < 0 || y < 0 || x > width / 2.0 || y > height / 2.0)
        continue;

      cairo_arc (cr, x, y - 16, 9, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.11, 0.11, 0.11);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      cairo_text_extents (cr, number, &ext);
      cairo_move_to (cr, x - ext.width / 2 - ext.x_bearing, y - 16 - ext.height / 2 - ext.y_bearing);
      cairo_show_text (cr, number);
    }

  cairo_destroy (cr);
  return surface;
}

/* The paragraph's text with "[n]" after each mention, n the place's
 * number; the text set apart from its number (see story-text.c). */
static char *
numbered_paragraph (StoryDocument *document,
                    guint          paragraph)
{
  const char *text = story_document_get_paragraph (document, paragraph);
  g_autoptr(GString) markup = g_string_new (NULL);
  const StoryMention *mentions;
  StoryTextWriter writer;
  guint n, pos = 0;

  mentions = story_document_get_mentions (document, paragraph, &n);
  /* Pango would take an override at the start of the text for the
   * paragraph's direction: a mark says which it is. */
  if (story_text_has_bidi_controls (text, -1))
    g_string_append (markup, story_text_direction_mark (story_text_get_direction (text, -1)));
  g_string_append_printf (markup, "<b>%u</b>  \u2068", paragraph);
  story_text_writer_init (&writer, markup, TRUE);

  for (guint i = 0; i <= n; i++)
    {
      guint end = i < n ? mentions[i].end : strlen (text);

      story_text_writer_append (&writer, text + pos, end - pos);
      if (i < n)
        g_string_append_printf (markup, "<sup><small>[%u]</small></sup>", mentions[i].place + 1);
      pos = end;
    }

  story_text_writer_finish (&writer);
  g_string_append (markup, "\u2069");

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

static PangoLayout *
paragraph_layout (GtkPrintContext *context,
                  StoryDocument   *document,
                  guint            paragraph,
                  double           width)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Serif 10.5");
  g_autofree char *markup = numbered_paragraph (document, paragraph);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (layout, markup, -1);

  return layout;
}

#define GAP 10.0

static PangoLayout *
header_layout (GtkPrintContext *context,
               Handout         *h,
               double           width)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autofree char *title = story_text_isolate_markup (story_document_get_title (h->document));

  /* The title and each name are pieces of their own (see story-text.c):
   * an override in one name cannot reverse the names after it. */
  g_string_append_printf (markup, "<span size=\"x-large\" weight=\"bold\">%s</span>\n", title);
  for (guint i = 0; i < story_document_get_n_places (h->document); i++)
    {
      g_autofree char *name =
        story_text_isolate_markup (story_place_get_display_name (story_document_get_place (h->document, i)));

      g_string_append_printf (markup, "%s<b>%u</b> %s", i ? "   " : "", i + 1, name);
    }

  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (layout, markup->str, -1);

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, hgt;

  pango_layout_get_size (layout, &w, &hgt);
  return (double)hgt / PANGO_SCALE;
}

/* Splits the article into pages without breaking a paragraph. */
static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                Handout           *h)
{
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  g_autoptr(PangoLayout) header = header_layout (context, h, width);
  double y;
  guint first = 1;

  h->map = numbered_map (h);
  h->map_height = 0;
  if (h->map != NULL)
    h->map_height = MIN (height * 0.5, width * cairo_image_surface_get_height (h->map)
                                        / cairo_image_surface_get_width (h->map));

  g_array_set_size (h->page_starts, 0);
  g_array_append_val (h->page_starts, first);
  y = layout_height (header) + GAP + h->map_height + GAP;

  for (guint p = 1; p <= story_document_get_n_paragraphs (h->document); p++)
    {
      g_autoptr(PangoLayout) layout = paragraph_layout (context, h->document, p, width);
      double ph = layout_height (layout);

      if (y + ph > height && y > 0)
        {
          g_array_append_val (h->page_starts, p);
          y = 0;
        }
      y += ph + GAP;
    }

  gtk_print_operation_set_n_pages (operation, h->page_starts->len);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              Handout           *h)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  guint first = g_array_index (h->page_starts, guint, page_nr);
  guint last = (guint)page_nr + 1 < h->page_starts->len
               ? g_array_index (h->page_starts, guint, page_nr + 1)
               : story_document_get_n_paragraphs (h->document) + 1;
  double y = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);

  if (page_nr == 0)
    {
      g_autoptr(PangoLayout) header = header_layout (context, h, width);

      pango_cairo_show_layout (cr, header);
      y = layout_height (header) + GAP;

      if (h->map != NULL)
        {
          double scale = h->map_height / cairo_image_surface_get_height (h->map);

          cairo_save (cr);
          cairo_translate (cr, 0, y);
          cairo_scale (cr, scale, scale);
          cairo_set_source_surface (cr, h->map, 0, 0);
          cairo_paint (cr);
          cairo_restore (cr);
          y += h->map_height + GAP;
        }
    }

  for (guint p = first; p < last; p++)
    {
      g_autoptr(PangoLayout) layout = paragraph_layout (context, h->document, p, width);

      cairo_move_to (cr, 0, y);
      pango_cairo_show_layout (cr, layout);
      y += layout_height (layout) + GAP;
    }
}

/**
 * story_print_handout:
 * @action: print with a dialog, or export to @export_path as PDF
 *
 * Prints the story as a handout.
 */
GtkPrintOperationResult
story_print_handout (GtkWindow                *parent,
                     StoryDocument            *document,
                     StoryMapView             *map_view,
                     GtkPrintOperationAction   action,
                     const char               *export_path,
                     GError                  **error)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  Handout *h = g_new0 (Handout, 1);
  GtkPrintOperationResult result;

  g_return_val_if_fail (STORY_IS_DOCUMENT (document), GTK_PRINT_OPERATION_RESULT_ERROR);

  h->document = g_object_ref (document);
  h->map_view = map_view;
  h->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));

  gtk_print_operation_set_job_name (operation, story_document_get_title (document));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  if (export_path != NULL)
    gtk_print_operation_set_export_filename (operation, export_path);

  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), h);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), h);

  result = gtk_print_operation_run (operation, action, parent, error);
  handout_free (h);

  return result;
}
