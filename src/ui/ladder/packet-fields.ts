import { isFromClient, tcpFlags, type PacketColumns } from '../../core/model/packet-table.ts';
import { formatFlags, markNames } from './ladder-layout.ts';
import { formatAbsolute, formatSeconds, formatTime, formatZone, timeCaption, type TimeContext } from '../shared/time-format.ts';

export interface FieldGroup {
  name: string;
  fields: { name: string; value: string }[];
}

/** A frame's times: as the setting shows them first, then every other way, as Wireshark's frame tree. */
function timeFields(packets: PacketColumns, row: number, time: TimeContext): { name: string; value: string }[] {
  const at = packets.timeNs[row]! / 1e9;
  const frame = packets.frame[row]!;
  const previous = row > 0 ? packets.timeNs[row - 1]! / 1e9 : null;
  const fields = [{ name: 'Time', value: `${formatTime(time, at, { previous, frame })} (${timeCaption(time)})` }];
  if (time.clock) {
    const offset = time.zone === 'local' ? time.zoneOffset(Math.floor((time.clock.sec + at) * 1000)) : 0;
    fields.push({ name: 'Arrival time', value: `${formatAbsolute(time, at, true)} ${formatZone(time.zone, offset)}` });
  }
  fields.push({ name: 'Since the first frame', value: `${formatSeconds(at)} s` });
  fields.push({ name: 'Since the previous packet of the connection', value: previous === null ? 'its first packet' : `${formatSeconds(at - previous)} s` });
  if (time.reference) {
    fields.push({
      name: `Since the reference frame (${time.reference.frame})`,
      value: time.reference.frame === frame ? 'this is the reference' : `${formatSeconds(at - time.reference.time)} s`,
    });
  }
  return fields;
}

/** What the packet columns already know about one frame, as labelled fields. */
export function packetSummaryFields(packets: PacketColumns, row: number, time: TimeContext): FieldGroup {
  const flags = tcpFlags(packets, row);
  const marks = markNames(packets.marks[row]!);
  const fields = [
    { name: 'Frame', value: String(packets.frame[row]) },
    ...timeFields(packets, row, time),
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
