/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench-common.h"

/* splitmix64: small, fast and the same everywhere. */
void
bench_random_init (BenchRandom *random,
                   guint64      seed)
{
  random->state = seed;
}

static guint64
next (BenchRandom *random)
{
  guint64 z = (random->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

guint32
bench_random_int (BenchRandom *random,
                  guint32      n)
{
  return (guint32)(next (random) % n);
}

double
bench_random_double (BenchRandom *random)
{
  return (next (random) >> 11) * (1.0 / 9007199254740992.0);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile; sorts @values. */
double
bench_percentile (GArray *values,
                  double  p)
{
  guint rank;

  g_assert (values->len > 0);
  g_array_sort (values, compare_doubles);
  rank = (guint)(p * values->len + 0.999999);
  return g_array_index (values, double, CLAMP (rank, 1, values->len) - 1);
}

double
bench_median (GArray *values)
{
  g_assert (values->len > 0);
  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}

/* VmHWM: the most resident memory the process has had, in MB. */
double
bench_peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  if ((line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

/* How long ago the process started. The runner passes the time it launched
 * us (bash's $EPOCHREALTIME) in BENCH_LAUNCHED; otherwise the kernel's start
 * time is used, which has only clock-tick resolution. */
double
bench_process_age_ms (void)
{
  const char *launched = g_getenv ("BENCH_LAUNCHED");
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  struct timespec now;
  const char *after_name;
  double start_s;

  if (launched != NULL && launched[0] != '\0')
    return (g_get_real_time () / 1e6 - g_ascii_strtod (launched, NULL)) * 1000.0;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      (after_name = strrchr (stat, ')')) == NULL)
    return -1;

  /* Field 22, starttime; after the name, field 3 is the first. */
  fields = g_strsplit (after_name + 2, " ", 0);
  if (g_strv_length (fields) < 20)
    return -1;
  start_s = g_ascii_strtod (fields[19], NULL) / sysconf (_SC_CLK_TCK);
  clock_gettime (CLOCK_BOOTTIME, &now);
  return (now.tv_sec + now.tv_nsec / 1e9 - start_s) * 1000.0;
}

/* Synthetic text ------------------------------------------------------------- */

static const char *syllables[] = {
  "ka", "ra", "van", "shen", "ab", "tsa", "gor", "mi", "lu", "ne", "do", "zur",
  "ta", "ar", "bek", "dzor", "kert", "ga", "li", "ma", "sa", "tu", "ye", "zo",
  "khan", "ash", "ber", "vik", "nor", "il", "ev", "oy",
};

static const char *suffixes[] = { "", "", "", "", "", " Dzor", "abad", "aberd", "-Kert", "i" };

/* A made-up place name of two to four syllables, sometimes two words. */
char *
bench_place_name (BenchRandom *random)
{
  GString *name = g_string_new (NULL);
  guint n = 2 + bench_random_int (random, 3);

  for (guint i = 0; i < n; i++)
    g_string_append (name, syllables[bench_random_int (random, G_N_ELEMENTS (syllables))]);
  name->str[0] = g_ascii_toupper (name->str[0]);
  g_string_append (name, suffixes[bench_random_int (random, G_N_ELEMENTS (suffixes))]);

  return g_string_free (name, FALSE);
}

/* Another spelling of @name: in Cyrillic letters, or with a prefix. */
char *
bench_place_alias (BenchRandom *random,
                   const char  *name)
{
  static const struct { char latin; const char *cyrillic; } letters[] = {
    { 'a', "а" }, { 'b', "б" }, { 'd', "д" }, { 'e', "е" }, { 'g', "г" }, { 'h', "х" },
    { 'i', "и" }, { 'k', "к" }, { 'l', "л" }, { 'm', "м" }, { 'n', "н" }, { 'o', "о" },
    { 'r', "р" }, { 's', "с" }, { 't', "т" }, { 'u', "у" }, { 'v', "в" }, { 'y', "й" },
    { 'z', "з" },
  };
  GString *alias;

  if (bench_random_int (random, 2) == 0)
    return g_strdup_printf ("Nor %s", name);

  alias = g_string_new (NULL);
  for (const char *p = name; *p; p++)
    {
      char c = g_ascii_tolower (*p);
      const char *out = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (letters); i++)
        if (letters[i].latin == c)
          out = letters[i].cyrillic;

      if (out == NULL)
        g_string_append_c (alias, *p);
      else if (p == name)
        {
          /* Capitalise the first letter. */
          g_autofree char *upper = g_utf8_strup (out, -1);

          g_string_append (alias, upper);
        }
      else
        g_string_append (alias, out);
    }

  return g_string_free (alias, FALSE);
}

static const char *words[] = {
  "the", "of", "and", "to", "in", "a", "said", "that", "was", "on", "for", "with",
  "border", "village", "forces", "ministry", "statement", "near", "from", "by", "were",
  "government", "region", "after", "talks", "between", "peace", "officials", "reported",
  "road", "river", "valley", "people", "soldiers", "killed", "morning", "week", "their",
  "has", "had", "been", "would", "not", "its", "which", "residents", "bridge", "mountain",
  "agreement", "president", "minister", "spokesman", "positions", "troops", "fire",
  "Monday", "Tuesday", "February", "2024", "1991", "km",
  "министерство", "граница", "село", "заявил", "Ереван", "Баку",
};

/* One word of filler, with its separator. */
void
bench_append_filler (GString     *out,
                     BenchRandom *random)
{
  g_string_append (out, words[bench_random_int (random, G_N_ELEMENTS (words))]);
  switch (bench_random_int (random, 16))
    {
    case 0:
      g_string_append (out, ", ");
      break;
    case 1:
      g_string_append (out, ". ");
      break;
    default:
      g_string_append_c (out, ' ');
      break;
    }
}
