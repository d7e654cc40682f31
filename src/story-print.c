/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "story-print"

#include "config.h"

#include <glib/gi18n.h>

#include "story-article-view.h"
#include "story-print.h"
#include "story-text.h"

/*
 * The map as an image, and a printed handout for a class: the map as it is
 * shown with numbered markers, then the article with each mention of a
 * place numbered to match. Paragraphs are never split across pages.
 */

/**
 * story_map_view_dup_credit:
 *
 * Returns: (transfer full) (nullable): the credit line of the maps shown,
 *   as the map's attribution says it: the base map's, then the online
 *   tiles' where they are drawn over it
 */
char *
story_map_view_dup_credit (StoryMapView *self)
{
  ShumateMapSource *base, *online;
  const char *base_license = NULL, *online_license = NULL;

  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);

  base = story_map_view_get_base_source (self);
  online = story_map_view_get_online_source (self);
  if (base != NULL)
    base_license = shumate_map_source_get_license (base);
  if (online != NULL && !story_map_view_get_offline (self))
    online_license = shumate_map_source_get_license (online);

  if (base_license != NULL && base_license[0] == '\0')
    base_license = NULL;
  if (online_license != NULL &&
      (online_license[0] == '\0' || (base_license != NULL && strstr (base_license, online_license) != NULL)))
    online_license = NULL;

  if (base_license != NULL && online_license != NULL)
    return g_strdup_printf ("%s; %s", base_license, online_license);

  return g_strdup (base_license != NULL ? base_license : online_license);
}

/* The credit line, small, in the map's bottom corner (the end of the line
 * in the interface's direction), on a light band so it reads on any map. */
static void
snapshot_credit (StoryMapView *self,
                 GtkWidget    *map,
                 GtkSnapshot  *snapshot,
                 int           width,
                 int           height)
{
  g_autofree char *credit = story_map_view_dup_credit (self);
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  int lw, lh;
  double x, y;

  if (credit == NULL)
    return;

  layout = gtk_widget_create_pango_layout (map, credit);
  font = pango_font_description_from_string ("Sans 8");
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, MAX (width - 8, 1) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_START);
  pango_layout_get_pixel_size (layout, &lw, &lh);

  x = gtk_widget_get_direction (map) == GTK_TEXT_DIR_RTL ? 0 : width - lw - 8;
  y = height - lh - 4;
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 0.8 },
                             &GRAPHENE_RECT_INIT (x, y, lw + 8, lh + 4));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 4, y + 2));
  gtk_snapshot_append_layout (snapshot, layout, &(GdkRGBA) { 0.1, 0.1, 0.1, 1 });
  gtk_snapshot_restore (snapshot);
}

static GdkTexture *
render_map (StoryMapView *self,
            int           scale,
            gboolean      with_credit)
{
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (self));
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  int width = gtk_widget_get_width (map);
  int height = gtk_widget_get_height (map);

  if (native == NULL || width <= 0 || height <= 0)
    return NULL;

  paintable = gtk_widget_paintable_new (map);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_scale (snapshot, scale, scale);
  /* The sea shows where no tile has arrived yet. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.667, 0.827, 0.875, 1.0 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  if (with_credit)
    snapshot_credit (self, map, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return NULL;

  return gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width * scale, height * scale));
}

/**
 * story_map_view_render:
 * @scale: 1 for screen resolution, 2 for twice as many pixels
 *
 * Returns: (transfer full) (nullable): the map with its markers and
 *   the credit of its maps, as shown
 */
GdkTexture *
story_map_view_render (StoryMapView *self,
                       int           scale)
{
  g_return_val_if_fail (STORY_IS_MAP_VIEW (self), NULL);
  g_return_val_if_fail (scale >= 1 && scale <= 4, NULL);

  return render_map (self, scale, TRUE);
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
  gboolean        *on_map;       /* for each place: is its marker on the map? */
  double           map_height;   /* on the first page, in points */
} Handout;

static void
handout_free (Handout *h)
{
  g_clear_object (&h->document);
  g_clear_pointer (&h->map, cairo_surface_destroy);
  g_clear_pointer (&h->page_starts, g_array_unref);
  g_clear_pointer (&h->on_map, g_free);
  g_free (h);
}

/* Where the place's marker is on the map widget; FALSE if it is outside. */
static gboolean
place_position (StoryMapView *map_view,
                StoryPlace   *place,
                double       *x,
                double       *y)
{
  ShumateViewport *viewport = story_map_view_get_viewport (map_view);
  GtkWidget *map = GTK_WIDGET (story_map_view_get_map (map_view));
  double lat, lon;

  story_place_get_anchor (place, &lat, &lon);
  shumate_viewport_location_to_widget_coords (viewport, map, lat, lon, x, y);

  return *x >= 0 && *y >= 0 &&
         *x <= gtk_widget_get_width (map) && *y <= gtk_widget_get_height (map);
}

/**
 * story_print_draw_badge:
 * @cr: where to draw, in map pixels
 * @x: @y: the place's point: the badge stands above it
 * @number: the place's number
 *
 * Draws a numbered badge, as the handout's map shows each place. Each
 * badge is a path of its own: nothing joins it to the one drawn before.
 */
void
story_print_draw_badge (cairo_t    *cr,
                        double      x,
                        double      y,
                        const char *number)
{
  cairo_text_extents_t ext;

  cairo_save (cr);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 11);

  cairo_new_path (cr);
  cairo_arc (cr, x, y - 16, 9, 0, 2 * G_PI);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 0.11, 0.11, 0.11);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);

  cairo_text_extents (cr, number, &ext);
  cairo_move_to (cr, x - ext.width / 2 - ext.x_bearing, y - 16 - ext.height / 2 - ext.y_bearing);
  cairo_show_text (cr, number);
  cairo_new_path (cr);
  cairo_restore (cr);
}

/* The map texture as a cairo surface, with a numbered disc on each place. */
static cairo_surface_t *
numbered_map (Handout *h)
{
  /* The credit is printed as text over it, sharp and searchable. */
  g_autoptr(GdkTexture) texture = render_map (h->map_view, 2, FALSE);
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

  for (guint i = 0; i < story_document_get_n_places (h->document); i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      double x, y;

      if (h->on_map[i] &&
          place_position (h->map_view, story_document_get_place (h->document, i), &x, &y))
        story_print_draw_badge (cr, x, y, number);
    }

  cairo_destroy (cr);
  return surface;
}

/* The paragraph's text with "[n]" after each mention of a place on the
 * map, n the place's number; the text set apart from its number (see
 * story-text.c). */
static char *
numbered_paragraph (StoryDocument  *document,
                    const gboolean *on_map,
                    guint           paragraph)
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
      if (i < n && on_map[mentions[i].place])
        g_string_append_printf (markup, "<sup><small>[%u]</small></sup>", mentions[i].place + 1);
      pos = end;
    }

  story_text_writer_finish (&writer);
  g_string_append (markup, "\u2069");

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

static PangoLayout *
paragraph_layout (GtkPrintContext *context,
                  Handout         *h,
                  guint            paragraph,
                  double           width)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Serif 10.5");
  g_autofree char *markup = numbered_paragraph (h->document, h->on_map, paragraph);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (layout, markup, -1);

  return layout;
}

#define GAP 10.0

/* The dateline, date and source on one line, as the article shows them:
 * each a piece of its own. */
static void
append_meta (GString       *markup,
             StoryDocument *document)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *dateline = story_document_get_dateline (document);
  const char *date = story_document_get_date (document);
  const char *source = story_document_get_source (document);
  g_autofree char *joined = NULL;

  if (dateline != NULL)
    {
      g_autofree char *isolated = story_text_isolate_markup (dateline);

      g_ptr_array_add (parts, g_strdup_printf ("<b>%s</b>", isolated));
    }

  if (date != NULL)
    {
      /* As the article writes it, in the interface's language. */
      g_autofree char *formatted = story_article_view_format_date (date);

      g_ptr_array_add (parts, story_text_isolate_markup (formatted));
    }

  if (source != NULL)
    g_ptr_array_add (parts, story_text_isolate_markup (source));

  if (parts->len == 0)
    return;

  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (" · ", (char **)parts->pdata);
  g_string_append_printf (markup, "<span size=\"small\">%s</span>\n", joined);
}

static PangoLayout *
header_layout (GtkPrintContext *context,
               Handout         *h,
               double           width)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autofree char *title = story_text_isolate_markup (story_document_get_title (h->document));
  gboolean first = TRUE;

  /* The title and each name are pieces of their own (see story-text.c):
   * an override in one name cannot reverse the names after it. */
  g_string_append_printf (markup, "<span size=\"x-large\" weight=\"bold\">%s</span>\n", title);
  append_meta (markup, h->document);

  /* The legend lists the places whose numbers are on the map. */
  for (guint i = 0; i < story_document_get_n_places (h->document); i++)
    {
      g_autofree char *name = NULL;

      if (!h->on_map[i])
        continue;

      name = story_text_isolate_markup (story_place_get_display_name (story_document_get_place (h->document, i)));
      g_string_append_printf (markup, "%s<b>%u</b> %s", first ? "" : "   ", i + 1, name);
      first = FALSE;
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
      g_autoptr(PangoLayout) layout = paragraph_layout (context, h, p, width);
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

/* The maps' credit, small, in the bottom corner of the printed map whose
 * width is @map_width and whose bottom is at @bottom. */
static void
print_credit (GtkPrintContext *context,
              Handout         *h,
              double           map_width,
              double           bottom)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autofree char *credit = story_map_view_dup_credit (h->map_view);
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  double x, lw, lh;
  int w, hgt;

  if (credit == NULL)
    return;

  layout = gtk_print_context_create_pango_layout (context);
  font = pango_font_description_from_string ("Sans 6");
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, credit, -1);
  pango_layout_set_width (layout, MAX (map_width - 6, 1) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_START);
  pango_layout_get_size (layout, &w, &hgt);
  lw = (double)w / PANGO_SCALE;
  lh = (double)hgt / PANGO_SCALE;
  x = gtk_widget_get_direction (GTK_WIDGET (h->map_view)) == GTK_TEXT_DIR_RTL ? 0 : map_width - lw - 6;

  cairo_save (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_rectangle (cr, x, bottom - lh - 2, lw + 6, lh + 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_move_to (cr, x + 3, bottom - lh - 1);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
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
          print_credit (context, h, cairo_image_surface_get_width (h->map) * scale, y + h->map_height);
          y += h->map_height + GAP;
        }
    }

  for (guint p = first; p < last; p++)
    {
      g_autoptr(PangoLayout) layout = paragraph_layout (context, h, p, width);

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
  h->on_map = g_new0 (gboolean, story_document_get_n_places (document));
  for (guint i = 0; i < story_document_get_n_places (document); i++)
    {
      double x, y;

      h->on_map[i] = gtk_widget_get_native (GTK_WIDGET (map_view)) != NULL &&
                     place_position (map_view, story_document_get_place (document, i), &x, &y);
    }

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
