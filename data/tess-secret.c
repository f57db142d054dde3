/* tess-secret.c: values that hold secrets: ${env:NAME} read when a request
 * or a connection is made, and wiped from memory once used. The request
 * headers of HTTP sources and database passwords share them.
 */
#include "tess-secret-private.h"

#include <string.h>

void
tess_secret_wipe (char *secret)
{
  if (secret)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

char *
tess_secret_expand_env (const char *value, const char *what, GError **error)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  while (*p)
    {
      const char *start = strstr (p, "${env:");
      const char *end;
      g_autofree char *name = NULL;
      const char *env;

      if (start == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, start - p);
      end = strchr (start, '}');
      if (end == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s has “${env:” without a closing “}”", what);
          tess_secret_wipe (g_string_free (out, FALSE));
          return NULL;
        }
      name = g_strndup (start + 6, end - start - 6);
      env = g_getenv (name);
      if (env == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "%s needs the environment variable %s, which is not set", what, name);
          tess_secret_wipe (g_string_free (out, FALSE));
          return NULL;
        }
      g_string_append (out, env);
      p = end + 1;
    }
  return g_string_free (out, FALSE);
}
