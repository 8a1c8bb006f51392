import { isFromClient, tcpFlags, type PacketColumns } from '../../core/model/packet-table.ts';
import { formatFlags, markNames } from './ladder-layout.ts';
import { formatOffset } from '../shared/format.ts';

export interface FieldGroup {
  name: string;
  fields: { name: string; value: string }[];
}

/** What the packet columns already know about one frame, as labelled fields. */
export function packetSummaryFields(packets: PacketColumns, row: number): FieldGroup {
  const flags = tcpFlags(packets, row);
  const marks = markNames(packets.marks[row]!);
  const fields = [
    { name: 'Frame', value: String(packets.frame[row]) },
    { name: 'Time', value: `${formatOffset(packets.timeNs[row]! / 1e9)} s since the first frame` },
    { name: 'Direction', value: isFromClient(packets, row) ? 'client → server' : 'server → client' },
    { name: 'Flags', value: `0x${flags.toString(16).padStart(3, '0')} ${formatFlags(flags)}` },
    { name: 'Sequence number (raw)', value: String(packets.seq[row]) },
    { name: 'Acknowledgment number (raw)', value: String(packets.ack[row]) },
    { name: 'Window (unscaled)', value: String(packets.window[row]) },
    { name: 'Payload length', value: `${packets.payloadLen[row]} bytes` },
  ];
  if (marks.length) fields.push({ name: 'Analysis', value: marks.join(', ') });
  return { name: 'Summary', fields };
}
