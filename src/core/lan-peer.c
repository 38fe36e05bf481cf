/* lan-peer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-peer"

#include "config.h"

#include "lan-peer.h"
#include "lan-text-cap.h"

#include <string.h>

struct _LanPeer
{
  GObject     parent_instance;

  LanEndpoint endpoint;
  char       *key;
  char       *identity;
  char       *address;
  char       *nickname;
  char       *user;
  char       *host;
  char       *group;
  char       *away_text;
  char       *version_text;
  char       *machine;
  GPtrArray  *addresses;   /* the other "ip:port" keys of the same machine, NULL-terminated */
  guint32     capabilities;
  gint64      last_seen;
  guint       heard;        /* packets heard, up to 2 (see lan_peer_get_answered) */
  guint32     entry_command;
  GBytes     *entry_extra;   /* the extra part itself when short (entry_raw), else its digest */
  LanDialect  dialect;
  guint       away : 1;
  guint       utf8 : 1;
  guint       offline : 1;
  guint       distinct : 1;
  guint       entry_raw : 1;
};

enum {
  PROP_0,
  PROP_KEY,
  PROP_IDENTITY,
  PROP_NICKNAME,
  PROP_USER,
  PROP_HOST,
  PROP_GROUP,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_AWAY,
  PROP_AWAY_TEXT,
  PROP_VERSION_TEXT,
  PROP_CAPABILITIES,
  PROP_UTF8,
  PROP_DIALUP,
  PROP_LAST_SEEN,
  PROP_DIALECT_OVERRIDE,
  PROP_ONLINE,
  PROP_MACHINE,
  PROP_ADDRESSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanPeer, lan_peer, G_TYPE_OBJECT)

static void
lan_peer_finalize (GObject *object)
{
  LanPeer *self = LAN_PEER (object);

  g_free (self->key);
  g_free (self->identity);
  g_free (self->address);
  g_free (self->nickname);
  g_free (self->user);
  g_free (self->host);
  g_free (self->group);
  g_free (self->away_text);
  g_free (self->version_text);
  g_free (self->machine);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_pointer (&self->entry_extra, g_bytes_unref);

  G_OBJECT_CLASS (lan_peer_parent_class)->finalize (object);
}

static void
lan_peer_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LanPeer *self = LAN_PEER (object);

  switch (prop_id)
    {
    case PROP_KEY: g_value_set_string (value, self->key); break;
    case PROP_IDENTITY: g_value_set_string (value, lan_peer_get_identity (self)); break;
    case PROP_NICKNAME: g_value_set_string (value, lan_peer_get_nickname (self)); break;
    case PROP_USER: g_value_set_string (value, self->user); break;
    case PROP_HOST: g_value_set_string (value, self->host); break;
    case PROP_GROUP: g_value_set_string (value, self->group); break;
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_PORT: g_value_set_uint (value, self->endpoint.port); break;
    case PROP_AWAY: g_value_set_boolean (value, self->away); break;
    case PROP_AWAY_TEXT: g_value_set_string (value, self->away_text); break;
    case PROP_VERSION_TEXT: g_value_set_string (value, self->version_text); break;
    case PROP_CAPABILITIES: g_value_set_uint (value, self->capabilities); break;
    case PROP_UTF8: g_value_set_boolean (value, self->utf8); break;
    case PROP_DIALUP: g_value_set_boolean (value, lan_peer_get_dialup (self)); break;
    case PROP_LAST_SEEN: g_value_set_int64 (value, self->last_seen); break;
    case PROP_DIALECT_OVERRIDE: g_value_set_uint (value, self->dialect.override); break;
    case PROP_ONLINE: g_value_set_boolean (value, !self->offline); break;
    case PROP_MACHINE: g_value_set_string (value, self->machine); break;
    case PROP_ADDRESSES: g_value_set_boxed (value, lan_peer_get_addresses (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_peer_class_init (LanPeerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lan_peer_finalize;
  object_class->get_property = lan_peer_get_property;

  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  properties[PROP_IDENTITY] = g_param_spec_string ("identity", NULL, NULL, NULL, flags);
  properties[PROP_NICKNAME] = g_param_spec_string ("nickname", NULL, NULL, NULL, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, flags);
  properties[PROP_GROUP] = g_param_spec_string ("group", NULL, NULL, NULL, flags);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  properties[PROP_AWAY] = g_param_spec_boolean ("away", NULL, NULL, FALSE, flags);
  properties[PROP_AWAY_TEXT] = g_param_spec_string ("away-text", NULL, NULL, NULL, flags);
  properties[PROP_VERSION_TEXT] = g_param_spec_string ("version-text", NULL, NULL, NULL, flags);
  properties[PROP_CAPABILITIES] = g_param_spec_uint ("capabilities", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  properties[PROP_UTF8] = g_param_spec_boolean ("utf8", NULL, NULL, FALSE, flags);
  properties[PROP_DIALUP] = g_param_spec_boolean ("dialup", NULL, NULL, FALSE, flags);
  properties[PROP_LAST_SEEN] = g_param_spec_int64 ("last-seen", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DIALECT_OVERRIDE] = g_param_spec_uint ("dialect-override", NULL, NULL,
                                                         LAN_DIALECT_AUTOMATIC, LAN_DIALECT_FORCE_CP932,
                                                         LAN_DIALECT_AUTOMATIC, flags);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, TRUE, flags);
  properties[PROP_MACHINE] = g_param_spec_string ("machine", NULL, NULL, NULL, flags);
  properties[PROP_ADDRESSES] = g_param_spec_boxed ("addresses", NULL, NULL, G_TYPE_STRV, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_peer_init (LanPeer *self)
{
  self->user = g_strdup ("");
  self->host = g_strdup ("");
  lan_dialect_init (&self->dialect, LAN_LEGACY_GB18030);
  self->group = g_strdup ("");
}

LanPeer *
lan_peer_new (LanEndpoint endpoint)
{
  LanPeer *self = g_object_new (LAN_TYPE_PEER, NULL);
  char buf[16];

  self->endpoint = endpoint;
  self->key = lan_endpoint_to_string (endpoint);
  self->address = g_strdup (lan_ipv4_format (endpoint.address, buf));
  return self;
}

static void
replace_string (LanPeer    *self,
                char      **field,
                const char *value,
                guint       prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
update_identity (LanPeer *self)
{
  g_autofree char *identity = NULL;

  if (*self->user == '\0' || *self->host == '\0')
    return;
  /* Another live machine has this user@host: this one is told apart by where it is. */
  identity = self->distinct ? g_strdup_printf ("%s@%s (%s)", self->user, self->host, self->key)
                            : g_strdup_printf ("%s@%s", self->user, self->host);
  replace_string (self, &self->identity, identity, PROP_IDENTITY);
}

void
lan_peer_set_distinct (LanPeer  *self,
                       gboolean  distinct)
{
  if (self->distinct == !!distinct)
    return;
  self->distinct = !!distinct;
  update_identity (self);
}

gboolean
lan_peer_get_distinct (LanPeer *self)
{
  return self->distinct;
}

void
lan_peer_set_machine (LanPeer    *self,
                      const char *machine)
{
  replace_string (self, &self->machine, machine, PROP_MACHINE);
}

const char *
lan_peer_get_machine (LanPeer *self)
{
  return self->machine;
}

void
lan_peer_add_address (LanPeer    *self,
                      const char *key)
{
  if (g_strcmp0 (key, self->key) == 0)
    return;
  if (self->addresses == NULL)
    {
      self->addresses = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->addresses, NULL);
    }
  for (guint i = 0; i + 1 < self->addresses->len; i++)
    if (g_str_equal (g_ptr_array_index (self->addresses, i), key))
      return;
  /* Before the terminating NULL. */
  g_ptr_array_insert (self->addresses, (gint) self->addresses->len - 1, g_strdup (key));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESSES]);
}

const char * const *
lan_peer_get_addresses (LanPeer *self)
{
  static const char * const none[] = { NULL };

  return self->addresses != NULL ? (const char * const *) self->addresses->pdata : none;
}

/* Sets *@field to @value; TRUE if that changed it. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value == NULL || g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
lan_peer_set_names (LanPeer    *self,
                    const char *nickname,
                    const char *user,
                    const char *host,
                    const char *group)
{
  const char *shown_before = lan_peer_get_nickname (self);
  g_autofree char *shown_copy = NULL;
  guint changed[4];
  guint n_changed = 0;
  gboolean names_changed;

  if (nickname != NULL && *nickname == '\0')
    nickname = NULL;
  /* Most entries repeat a name: a comparison each, nothing copied or notified. */
  if (g_strcmp0 (self->nickname, nickname) == 0 &&
      (user == NULL || g_str_equal (self->user, user)) &&
      (host == NULL || g_str_equal (self->host, host)) &&
      (group == NULL || g_str_equal (self->group, group)))
    return;

  /* The nickname shown falls back to the user name (or the address), which may change below. */
  if (shown_before == self->nickname || shown_before == self->user)
    shown_before = shown_copy = g_strdup (shown_before);
  /* Not a notified property: "nickname" is what is shown, notified below only if that changes. */
  set_string (&self->nickname, nickname);
  if (nickname == NULL)
    g_clear_pointer (&self->nickname, g_free);
  names_changed = set_string (&self->user, user);
  if (names_changed)
    changed[n_changed++] = PROP_USER;
  if (set_string (&self->host, host))
    {
      changed[n_changed++] = PROP_HOST;
      names_changed = TRUE;
    }
  if (set_string (&self->group, group))
    changed[n_changed++] = PROP_GROUP;
  if (g_strcmp0 (shown_before, lan_peer_get_nickname (self)) != 0)
    changed[n_changed++] = PROP_NICKNAME;

  /* As one change: whoever is told of one name sees all of them new. */
  if (n_changed > 1 || names_changed)
    g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < n_changed; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[changed[i]]);
  /* The identity is user@host: only they change it. */
  if (names_changed || self->identity == NULL)
    update_identity (self);
  if (n_changed > 1 || names_changed)
    g_object_thaw_notify (G_OBJECT (self));
}

void
lan_peer_set_away (LanPeer  *self,
                   gboolean  away)
{
  if (self->away == !!away)
    return;
  self->away = !!away;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AWAY]);
}

void
lan_peer_set_away_text (LanPeer    *self,
                        const char *text)
{
  replace_string (self, &self->away_text, text, PROP_AWAY_TEXT);
}

void
lan_peer_set_version_text (LanPeer    *self,
                           const char *text)
{
  replace_string (self, &self->version_text, text, PROP_VERSION_TEXT);
}

void
lan_peer_set_capabilities (LanPeer *self,
                           guint32  capabilities)
{
  gboolean was_dialup = lan_peer_get_dialup (self);

  if (self->capabilities == capabilities)
    return;
  self->capabilities = capabilities;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPABILITIES]);
  if (was_dialup != lan_peer_get_dialup (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALUP]);
}

void
lan_peer_set_utf8 (LanPeer  *self,
                   gboolean  utf8)
{
  if (self->utf8 == !!utf8)
    return;
  self->utf8 = !!utf8;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UTF8]);
}

void
lan_peer_set_last_seen (LanPeer *self,
                        gint64   time_us)
{
  /* Not notified: it changes with every packet and nothing binds to it live. */
  self->last_seen = time_us;
  self->heard = MIN (self->heard + 1, 2u);
  /* Whatever it sent, it is there. */
  lan_peer_set_online (self, TRUE);
}

gboolean
lan_peer_get_answered (LanPeer *self)
{
  g_return_val_if_fail (LAN_IS_PEER (self), FALSE);

  return self->heard >= 2;
}

void
lan_peer_set_answered (LanPeer *self)
{
  g_return_if_fail (LAN_IS_PEER (self));

  self->heard = 2;
}

void
lan_peer_set_online (LanPeer  *self,
                     gboolean  online)
{
  if (self->offline == !online)
    return;
  self->offline = !online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

gboolean
lan_peer_entry_unchanged (LanPeer *self,
                          guint32  command,
                          GBytes  *extra)
{
  gsize size = extra != NULL ? g_bytes_get_size (extra) : 0;
  /* Short announcements (most) are kept as they came, by reference: a
   * repeat costs a comparison, not a copy or a hash. */
  gboolean raw = size <= LAN_TEXT_CAP_KEEP_RAW;
  g_autoptr(GBytes) digest = NULL;

  if (self->entry_extra != NULL && self->entry_command == command && self->entry_raw == raw)
    {
      if (raw)
        {
          gsize kept_size;
          const guint8 *kept = g_bytes_get_data (self->entry_extra, &kept_size);

          if (kept_size == size && (size == 0 || memcmp (kept, g_bytes_get_data (extra, NULL), size) == 0))
            return TRUE;
        }
      else
        {
          digest = lan_text_cap_digest (extra);
          if (g_bytes_equal (self->entry_extra, digest))
            return TRUE;
        }
    }
  g_clear_pointer (&self->entry_extra, g_bytes_unref);
  if (raw)
    self->entry_extra = extra != NULL ? g_bytes_ref (extra) : g_bytes_new (NULL, 0);
  else
    self->entry_extra = digest != NULL ? g_steal_pointer (&digest) : lan_text_cap_digest (extra);
  self->entry_raw = raw;
  self->entry_command = command;
  return FALSE;
}

gboolean
lan_peer_get_announced (LanPeer *self)
{
  return self->entry_extra != NULL;
}

const char *lan_peer_get_key (LanPeer *self) { return self->key; }
const char *lan_peer_get_identity (LanPeer *self) { return self->identity != NULL ? self->identity : self->key; }
const char *lan_peer_get_user (LanPeer *self) { return self->user; }
const char *lan_peer_get_host (LanPeer *self) { return self->host; }
const char *lan_peer_get_group (LanPeer *self) { return self->group; }
const char *lan_peer_get_address (LanPeer *self) { return self->address; }
guint16 lan_peer_get_port (LanPeer *self) { return self->endpoint.port; }
LanEndpoint lan_peer_get_endpoint (LanPeer *self) { return self->endpoint; }
gboolean lan_peer_get_away (LanPeer *self) { return self->away; }
const char *lan_peer_get_away_text (LanPeer *self) { return self->away_text; }
const char *lan_peer_get_version_text (LanPeer *self) { return self->version_text; }
guint32 lan_peer_get_capabilities (LanPeer *self) { return self->capabilities; }
gboolean lan_peer_get_utf8 (LanPeer *self) { return self->utf8; }
const LanDialect *lan_peer_get_dialect (LanPeer *self) { return &self->dialect; }
LanDialectOverride lan_peer_get_dialect_override (LanPeer *self) { return self->dialect.override; }

void
lan_peer_set_dialect (LanPeer          *self,
                      const LanDialect *dialect)
{
  LanDialectOverride old_override = self->dialect.override;

  self->dialect = *dialect;
  lan_peer_set_utf8 (self, lan_dialect_takes_utf8 (&self->dialect));
  if (old_override != self->dialect.override)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALECT_OVERRIDE]);
}

void
lan_peer_set_dialect_override (LanPeer            *self,
                               LanDialectOverride  override)
{
  LanDialect dialect = self->dialect;

  dialect.override = override;
  lan_peer_set_dialect (self, &dialect);
}
gint64 lan_peer_get_last_seen (LanPeer *self) { return self->last_seen; }
gboolean lan_peer_get_online (LanPeer *self) { return !self->offline; }

gboolean
lan_peer_get_dialup (LanPeer *self)
{
  return (self->capabilities & LAN_IPMSG_DIALUPOPT) != 0;
}

const char *
lan_peer_get_nickname (LanPeer *self)
{
  if (self->nickname != NULL)
    return self->nickname;
  if (self->user != NULL && *self->user != '\0')
    return self->user;
  return self->address;
}
