/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean story_test_check_rings (const char *data,
                                 gsize       len);

G_END_DECLS
