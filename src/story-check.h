/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean story_check_file (const char *filename,
                           GString    *out,
                           GString    *err);
char     *story_check_escape (const char *text);

G_END_DECLS
