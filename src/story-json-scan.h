/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What is wrong where story_json_scan() stops. */
typedef enum
{
  STORY_JSON_FAULT_NONE,
  STORY_JSON_FAULT_UNEXPECTED,          /* something other than @expected */
  STORY_JSON_FAULT_TOO_DEEP,
  STORY_JSON_FAULT_SINGLE_QUOTE,
  STORY_JSON_FAULT_COMMENT,
  STORY_JSON_FAULT_TRAILING_COMMA,
  STORY_JSON_FAULT_PLUS_SIGN,
  STORY_JSON_FAULT_LEADING_ZERO,
  STORY_JSON_FAULT_HEXADECIMAL,
  STORY_JSON_FAULT_NOT_A_NUMBER,        /* NaN, Infinity */
  STORY_JSON_FAULT_DIGIT_EXPECTED,
  STORY_JSON_FAULT_NUMBER_TOO_LARGE,
  STORY_JSON_FAULT_UNCLOSED_STRING,
  STORY_JSON_FAULT_CONTROL_CHARACTER,
  STORY_JSON_FAULT_BAD_ESCAPE,
  STORY_JSON_FAULT_BAD_UNICODE_ESCAPE,
  STORY_JSON_FAULT_NUL_ESCAPE,
  STORY_JSON_FAULT_LONE_SURROGATE,
  STORY_JSON_FAULT_DUPLICATE_MEMBER,
} StoryJsonFaultKind;

/* What the scanner expected where it met something else. */
typedef enum
{
  STORY_JSON_EXPECT_VALUE,
  STORY_JSON_EXPECT_MEMBER_NAME,
  STORY_JSON_EXPECT_COLON,
  STORY_JSON_EXPECT_ARRAY_NEXT,         /* "," or "]" */
  STORY_JSON_EXPECT_OBJECT_NEXT,        /* "," or "}" */
  STORY_JSON_EXPECT_END,                /* the end of the text */
} StoryJsonExpect;

typedef struct
{
  StoryJsonFaultKind kind;
  StoryJsonExpect    expected;
  gsize              offset;            /* the byte where the fault is */
} StoryJsonFault;

gboolean    story_json_scan           (const char     *data,
                                       gsize           len,
                                       guint           max_depth,
                                       StoryJsonFault *fault);
char       *story_json_describe_character (gunichar    c);

G_END_DECLS
