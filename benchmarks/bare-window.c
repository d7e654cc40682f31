/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "bench-common.h"

/* The start-up baseline: a libadwaita application whose window, as large as
 * Story Map's, holds one label. Prints how long after the process was
 * launched its first frame was painted, and its peak resident memory,
 * measured as bench-startup measures Story Map. */

static void
on_after_paint (GdkFrameClock *clock,
                GApplication  *app)
{
  printf ("RESULT startup-ms %.3f\n", bench_process_age_ms ());
  printf ("RESULT startup-rss-mb %.3f\n", bench_peak_rss_mb ());
  fflush (stdout);

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, app);
  g_application_quit (app);
}

static void
on_realize (GtkWidget    *widget,
            GApplication *app)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_after_paint), app);
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Hello"));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.storymap.BareWindow",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);

  return g_application_run (G_APPLICATION (app), 1, argv);
}
