/* lan-test-await.c — the main-context waits of lan-test-await.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-await"

#include "config.h"

#include "lan-test-await.h"

#define TICK_MS 5

static gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
lan_test_await (LanTestPredicate predicate,
                gpointer         user_data,
                guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GMainContext *context = g_main_context_ref_thread_default ();
  GSource *tick = g_timeout_source_new (TICK_MS);
  gboolean done;

  g_source_set_callback (tick, keep_ticking, NULL, NULL);
  g_source_set_static_name (tick, "[lanchat-test] await tick");
  g_source_attach (tick, context);
  while (!(done = predicate (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
  g_main_context_unref (context);
  return done;
}

static gboolean
pointer_set (gpointer user_data)
{
  return *(gpointer *) user_data != NULL;
}

gboolean
lan_test_await_pointer (gpointer *location,
                        guint     timeout_ms)
{
  return lan_test_await (pointer_set, location, timeout_ms);
}

typedef struct {
  GObject    *object;
  GParamSpec *pspec;
  guint64     value;
} PropertyWait;

static guint64
property_as_number (GObject    *object,
                    GParamSpec *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_BOOLEAN: return g_value_get_boolean (&value) ? 1 : 0;
    case G_TYPE_UINT: return g_value_get_uint (&value);
    case G_TYPE_INT: return (guint64) g_value_get_int (&value);
    case G_TYPE_ENUM: return (guint64) g_value_get_enum (&value);
    case G_TYPE_UINT64: return g_value_get_uint64 (&value);
    case G_TYPE_INT64: return (guint64) g_value_get_int64 (&value);
    default:
      g_error ("property %s of %s is not a number", pspec->name, G_OBJECT_TYPE_NAME (object));
    }
  return 0;
}

static gboolean
property_has_value (gpointer user_data)
{
  PropertyWait *wait = user_data;

  return property_as_number (wait->object, wait->pspec) == wait->value;
}

static gboolean
await_property (gpointer    object,
                const char *property,
                guint64     value,
                guint       timeout_ms)
{
  PropertyWait wait = { G_OBJECT (object), NULL, value };

  wait.pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  if (wait.pspec == NULL)
    g_error ("%s has no property %s", G_OBJECT_TYPE_NAME (object), property);
  return lan_test_await (property_has_value, &wait, timeout_ms);
}

gboolean
lan_test_await_boolean (gpointer    object,
                        const char *property,
                        gboolean    value,
                        guint       timeout_ms)
{
  return await_property (object, property, value ? 1 : 0, timeout_ms);
}

gboolean
lan_test_await_uint (gpointer    object,
                     const char *property,
                     guint       value,
                     guint       timeout_ms)
{
  return await_property (object, property, value, timeout_ms);
}

struct _LanTestSignal
{
  gpointer  instance;   /* weak */
  gulong    handler;
  guint     count;
  GValue   *args;
  guint     n_args;
};

static void
clear_args (LanTestSignal *watch)
{
  for (guint i = 0; i < watch->n_args; i++)
    g_value_unset (&watch->args[i]);
  g_clear_pointer (&watch->args, g_free);
  watch->n_args = 0;
}

/* A marshaller that takes any signature: the closure only counts. */
static void
count_emission (GClosure     *closure,
                GValue       *return_value,
                guint         n_param_values,
                const GValue *param_values,
                gpointer      invocation_hint,
                gpointer      marshal_data)
{
  LanTestSignal *watch = closure->data;

  watch->count++;
  clear_args (watch);
  /* Not the instance: a watch must not keep what it watches alive. */
  watch->n_args = n_param_values > 0 ? n_param_values - 1 : 0;
  watch->args = g_new0 (GValue, MAX (watch->n_args, 1u));
  for (guint i = 0; i < watch->n_args; i++)
    {
      g_value_init (&watch->args[i], G_VALUE_TYPE (&param_values[i + 1]));
      g_value_copy (&param_values[i + 1], &watch->args[i]);
    }
}

LanTestSignal *
lan_test_signal_watch (gpointer    instance,
                       const char *signal)
{
  LanTestSignal *watch = g_new0 (LanTestSignal, 1);
  GClosure *closure = g_closure_new_simple (sizeof (GClosure), watch);

  g_closure_set_marshal (closure, count_emission);
  watch->instance = instance;
  g_object_add_weak_pointer (G_OBJECT (instance), &watch->instance);
  watch->handler = g_signal_connect_closure (instance, signal, closure, FALSE);
  if (watch->handler == 0)
    g_error ("%s has no signal %s", G_OBJECT_TYPE_NAME (instance), signal);
  return watch;
}

guint
lan_test_signal_count (LanTestSignal *watch)
{
  return watch->count;
}

typedef struct {
  LanTestSignal *watch;
  guint          count;
} CountWait;

static gboolean
count_reached (gpointer user_data)
{
  CountWait *wait = user_data;

  return wait->watch->count >= wait->count;
}

guint
lan_test_signal_await (LanTestSignal *watch,
                       guint          count,
                       guint          timeout_ms)
{
  CountWait wait = { watch, count };

  lan_test_await (count_reached, &wait, timeout_ms);
  return watch->count;
}

const GValue *
lan_test_signal_last_args (LanTestSignal *watch,
                           guint         *n_args)
{
  if (n_args != NULL)
    *n_args = watch->n_args;
  return watch->args;
}

void
lan_test_signal_free (LanTestSignal *watch)
{
  if (watch->instance != NULL)
    {
      g_signal_handler_disconnect (watch->instance, watch->handler);
      g_object_remove_weak_pointer (G_OBJECT (watch->instance), &watch->instance);
    }
  clear_args (watch);
  g_free (watch);
}

guint
lan_test_await_signal (gpointer    instance,
                       const char *signal,
                       guint       timeout_ms)
{
  g_autoptr(LanTestSignal) watch = lan_test_signal_watch (instance, signal);

  return lan_test_signal_await (watch, 1, timeout_ms);
}

void
lan_test_drain (void)
{
  GMainContext *context = g_main_context_ref_thread_default ();

  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_unref (context);
}
