/* lan-packet-links.c — the packets that belong with one.
 *
 * A message is a SENDMSG with a packet number, sent again (same number,
 * same peer) until a RECVMSG from that peer names the number in its first
 * section. Both directions read alike: for a message we received, the
 * resends come in and the acknowledgement goes out.
 *
 * Rows are read straight from their bytes (lan_packet_header_peek, the
 * header scan and one section), so looking through a few thousand of them
 * decodes no text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-links"

#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-ipmsg-scan.h"
#include "lan-packet-links.h"

gboolean
lan_packet_header_peek (const guint8    *data,
                        gsize            len,
                        LanPacketHeader *header)
{
  LanIpmsgScan scan;
  LanIpmsgSpan first;
  guint32 pos;

  g_return_val_if_fail (header != NULL, FALSE);

  memset (header, 0, sizeof *header);
  lan_ipmsg_scan_header (data, len, &scan);
  if (scan.n_header_fields < LAN_IPMSG_N_HEADER_FIELDS || scan.stop_offset < len ||
      !scan.packet_no_valid || !scan.command_valid)
    return FALSE;
  header->packet_no = scan.packet_no;
  header->command = scan.command;

  /* Only the first section: the sections after it don't matter here. */
  pos = scan.extra.offset;
  if (lan_ipmsg_scan_next_section (data, scan.extra, &pos, &first))
    header->has_section_number = lan_ipmsg_scan_number (data, first, 10, G_MAXUINT64,
                                                        &header->section_number);
  return TRUE;
}

void
lan_packet_links_free (LanPacketLinks *links)
{
  if (links == NULL)
    return;

  g_clear_pointer (&links->links, g_array_unref);
  g_free (links);
}

static gboolean
peek_entry (LanPacketLogEntry *entry,
            LanPacketHeader   *header)
{
  GBytes *bytes;
  const guint8 *data;
  gsize len = 0;

  if (lan_packet_log_entry_get_evicted (entry))
    return FALSE;

  bytes = lan_packet_log_entry_get_bytes (entry);
  data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
  return lan_packet_header_peek (data, len, header);
}

static LanDirection
opposite (LanDirection direction)
{
  return direction == LAN_DIRECTION_IN ? LAN_DIRECTION_OUT : LAN_DIRECTION_IN;
}

/**
 * lan_packet_links_find:
 *
 * Returns: (transfer full) (nullable):
 */
LanPacketLinks *
lan_packet_links_find (GListModel *entries,
                       guint       position,
                       guint       radius)
{
  g_autoptr(LanPacketLogEntry) entry = NULL;
  g_autoptr(LanPacketLinks) links = NULL;
  LanPacketHeader header;
  LanDirection message_direction;
  LanEndpoint remote;
  guint64 packet_no;
  guint n, first, last;
  const LanPacketLink *first_send = NULL;
  const LanPacketLink *ack = NULL;
  const LanPacketLink *last_send = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (entries), NULL);

  n = g_list_model_get_n_items (entries);
  if (position >= n)
    return NULL;

  entry = g_list_model_get_item (entries, position);
  if (entry == NULL || !peek_entry (entry, &header))
    return NULL;

  switch (LAN_IPMSG_MODE (header.command))
    {
    case LAN_IPMSG_SENDMSG:
      packet_no = header.packet_no;
      message_direction = lan_packet_log_entry_get_direction (entry);
      break;
    case LAN_IPMSG_RECVMSG:
      if (!header.has_section_number)
        return NULL;
      packet_no = header.section_number;
      message_direction = opposite (lan_packet_log_entry_get_direction (entry));
      break;
    default:
      return NULL;
    }

  remote = lan_packet_log_entry_get_remote (entry);
  first = position > radius ? position - radius : 0;
  last = MIN (n - 1, position + MIN (radius, G_MAXUINT - position));

  links = g_new0 (LanPacketLinks, 1);
  links->packet_no = packet_no;
  links->links = g_array_new (FALSE, FALSE, sizeof (LanPacketLink));

  for (guint i = first; i <= last; i++)
    {
      g_autoptr(LanPacketLogEntry) other = g_list_model_get_item (entries, i);
      LanPacketHeader other_header;
      LanDirection direction;
      LanPacketLink link;
      guint32 mode;

      if (other == NULL ||
          !lan_endpoint_equal (lan_packet_log_entry_get_remote (other), remote) ||
          !peek_entry (other, &other_header))
        continue;

      direction = lan_packet_log_entry_get_direction (other);
      mode = LAN_IPMSG_MODE (other_header.command);
      if (mode == LAN_IPMSG_SENDMSG && direction == message_direction &&
          other_header.packet_no == packet_no)
        link.kind = LAN_PACKET_LINK_SEND;
      else if (mode == LAN_IPMSG_RECVMSG && direction != message_direction &&
               other_header.has_section_number && other_header.section_number == packet_no)
        link.kind = LAN_PACKET_LINK_ACK;
      else
        continue;

      link.number = lan_packet_log_entry_get_number (other);
      link.time_us = lan_packet_log_entry_get_time (other);
      link.verdict = lan_packet_log_entry_get_verdict (other);
      link.direction = direction;
      g_array_append_val (links->links, link);
    }

  /* The row alone is nothing to link to. */
  if (links->links->len < 2)
    return NULL;

  for (guint i = 0; i < links->links->len; i++)
    {
      const LanPacketLink *link = &g_array_index (links->links, LanPacketLink, i);

      if (link->kind == LAN_PACKET_LINK_SEND && ack == NULL)
        {
          if (first_send == NULL)
            first_send = link;
          last_send = link;
          links->sends++;
        }
      else if (link->kind == LAN_PACKET_LINK_ACK && first_send != NULL && ack == NULL)
        ack = link;
    }

  if (ack != NULL)
    {
      links->acknowledged = TRUE;
      links->rtt_first_us = ack->time_us - first_send->time_us;
      links->rtt_last_us = ack->time_us - last_send->time_us;
    }

  return g_steal_pointer (&links);
}
