/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the benchmark programs share: a seeded generator (so every run
 * measures the same input), percentiles, memory and process age. */

typedef struct
{
  guint64 state;
} BenchRandom;

void     bench_random_init      (BenchRandom *random,
                                 guint64      seed);
guint32  bench_random_int       (BenchRandom *random,
                                 guint32      n);
double   bench_random_double    (BenchRandom *random);

double   bench_percentile       (GArray      *values,
                                 double       p);
double   bench_median           (GArray      *values);

double   bench_peak_rss_mb      (void);
double   bench_process_age_ms   (void);

char    *bench_place_name       (BenchRandom *random);
char    *bench_place_alias      (BenchRandom *random,
                                 const char  *name);
void     bench_append_filler    (GString     *out,
                                 BenchRandom *random);

G_END_DECLS
