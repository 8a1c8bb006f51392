import { describe, expect, it } from 'vitest';
import { analyzeBytes, itWith, readTestdata } from '../../../test/support/captures.ts';
import { DecodedPacket } from '../decode/packet.ts';
import { PacketMark, TcpFlag } from '../model/types.ts';
import { TcpTracker } from './tracker.ts';

const { SYN, ACK, FIN, RST, PSH } = TcpFlag;
const CLIENT = 0x0a000001;
const SERVER = 0x0a000002;

/** Feeds segments straight into a tracker: `from`, flags, seq, ack, payload length, captured bytes. */
function track(segments: [from: 'c' | 's', flags: number, seq: number, ack: number, len?: number, captured?: number][]) {
  const tracker = new TcpTracker();
  const p = new DecodedPacket();
  const bytes = new Uint8Array(2000);
  segments.forEach(([from, flags, seq, ack, len = 0, captured = len], i) => {
    p.src[0] = from === 'c' ? CLIENT : SERVER;
    p.dst[0] = from === 'c' ? SERVER : CLIENT;
    p.srcPort = from === 'c' ? 40000 : 80;
    p.dstPort = from === 'c' ? 80 : 40000;
    p.flags = flags;
    p.seq = seq >>> 0;
    p.ack = ack >>> 0;
    p.payloadLength = len;
    p.payloadOffset = 0;
    p.payloadCaptured = captured;
    p.window = 1000;
    tracker.add(p, bytes, i + 1, i * 1e6, 0, 0);
  });
  const marks = (frame: number) => tracker.packets.cols.marks[frame - 1]!;
  const completeness = tracker.state.completeness(0);
  // Once the capture is read only the directions that miss something keep their counters: the same answer.
  tracker.state.trim();
  expect(tracker.state.reading).toBeNull();
  expect(tracker.state.completeness(0)).toEqual(completeness);
  return { tracker, marks, completeness };
}

describe('capture completeness', () => {
  const HANDSHAKE: Parameters<typeof track>[0] = [
    ['c', SYN, 1000, 0],
    ['s', SYN | ACK, 5000, 1001],
    ['c', ACK, 1001, 5001],
  ];
  it('marks a segment after a sequence gap as Wireshark does (previous segment not captured)', () => {
    const { marks, completeness } = track([
      ...HANDSHAKE,
      ['s', ACK | PSH, 5001, 1001, 100],
      ['s', ACK | PSH, 5301, 1001, 100], // 200 bytes from 5101 missing
      ['c', ACK, 1001, 5401],
    ]);
    expect(marks(5) & PacketMark.lostSegment).toBeTruthy();
    expect(marks(4) & PacketMark.lostSegment).toBeFalsy();
    expect(completeness.server).toMatchObject({ gaps: 1, gapBytes: 200, firstGapFrame: 5 });
    // The client's ACK covers the missing bytes: acknowledged, never captured (Wireshark marks it too).
    expect(marks(6) & PacketMark.ackedUnseen).toBeTruthy();
    expect(completeness.client).toMatchObject({ gaps: 0, ackedUnseen: 1, firstAckedUnseenFrame: 6 });
  });
  it('marks an ACK of bytes the capture never held, once per hole', () => {
    const { marks, completeness } = track([
      ...HANDSHAKE,
      ['s', ACK | PSH, 5001, 1001, 100],
      ['c', ACK, 1001, 5301], // the server's 5101..5301 were not captured
      ['c', ACK, 1001, 5301],
      ['s', ACK | PSH, 5301, 1001, 100],
      ['c', ACK, 1001, 5401],
    ]);
    expect(marks(5) & PacketMark.ackedUnseen).toBeTruthy();
    expect(marks(6) & PacketMark.ackedUnseen).toBeFalsy();
    expect(marks(8) & PacketMark.ackedUnseen).toBeFalsy();
    expect(completeness.client).toMatchObject({ ackedUnseen: 1, firstAckedUnseenFrame: 5 });
  });
  it('does not call segments out of window because the receiver\'s ACKs are not in the capture', () => {
    const segments: Parameters<typeof track>[0] = [...HANDSHAKE];
    // The client sends 20 segments of 500 bytes; the server's window is 1000 and none of its ACKs was captured.
    for (let i = 0; i < 20; i++) segments.push(['c', ACK | PSH, 1001 + 500 * i, 5001, 500]);
    const { marks, completeness } = track(segments);
    for (let f = 4; f <= 23; f++) expect(marks(f) & PacketMark.outOfWindow).toBe(0);
    expect(completeness.client.beyondPeerWindow).toBeGreaterThanOrEqual(17);
    expect(completeness.server.presence).toBe('partial');
    expect(completeness.client.presence).toBe('seen');
  });
  it('still marks a segment that jumps past the receiver\'s window', () => {
    const { marks } = track([...HANDSHAKE, ['s', ACK, 5001, 1001], ['c', ACK | PSH, 1001 + 100000, 5001, 10]]);
    expect(marks(5) & PacketMark.outOfWindow).toBeTruthy();
    expect(marks(5) & PacketMark.lostSegment).toBeTruthy();
  });
  it('tells a capture started mid-connection, a direction absent, and a capture ended before the close', () => {
    const { completeness } = track([
      ['c', ACK | PSH, 7000, 9000, 10],
      ['c', ACK | PSH, 7010, 9000, 10],
    ]);
    expect(completeness.startedMidConnection).toBe(true);
    expect(completeness.endedBeforeClose).toBe(true);
    expect(completeness.server.presence).toBe('absent');
  });
  it('counts payloads cut by the snapshot length', () => {
    const { completeness } = track([...HANDSHAKE, ['c', ACK | PSH, 1001, 5001, 1400, 54], ['c', ACK | PSH, 2401, 5001, 10]]);
    expect(completeness.client).toMatchObject({ snapCut: 1, firstSnapCutFrame: 4 });
  });
  it('a connection seen from SYN to FIN/FIN is complete', () => {
    const { completeness } = track([
      ...HANDSHAKE,
      ['c', FIN | ACK, 1001, 5001],
      ['s', FIN | ACK, 5001, 1002],
      ['c', ACK, 1002, 5002],
    ]);
    expect(completeness).toMatchObject({ startedMidConnection: false, endedBeforeClose: false });
    expect(completeness.client).toMatchObject({ presence: 'seen', gaps: 0, ackedUnseen: 0, snapCut: 0 });
    expect(completeness.server).toMatchObject({ presence: 'seen', gaps: 0, ackedUnseen: 0, snapCut: 0 });
  });
  it('a RST closes the connection; a SYN after a RST starts a new sequence space, not a gap', () => {
    const { marks, completeness } = track([
      ['c', SYN, 1000, 0],
      ['s', RST | ACK, 0, 1001],
      ['s', SYN | ACK, 90000, 1001],
      ['c', ACK, 1001, 90001],
    ]);
    expect(marks(3) & PacketMark.lostSegment).toBe(0);
    expect(marks(4) & PacketMark.ackedUnseen).toBe(0);
    expect(completeness.endedBeforeClose).toBe(false);
  });
});

describe('capture completeness on real captures', () => {
  const itPublic = itWith('public');
  const read = (file: string) => analyzeBytes(file, readTestdata('public', file));
  const marked = (res: Awaited<ReturnType<typeof read>>, bit: number) => {
    const out: number[] = [];
    for (let i = 0; i < res.packets.frame.length; i++) if (res.packets.marks[i]! & bit) out.push(res.packets.frame[i]!);
    return out.sort((a, b) => a - b);
  };
  itPublic('suricata tcp-rst-unacked-data: the frames Wireshark marks (tshark 4.0: 20 21 52 56 72 lost, 74 ACKed unseen)', async () => {
    const res = await read('suricata-tcp-rst-unacked-data.pcap');
    expect(marked(res, PacketMark.lostSegment)).toEqual([20, 21, 52, 56, 72]);
    expect(marked(res, PacketMark.ackedUnseen)).toEqual([74]);
    const c = res.connections.get(0);
    expect(c.completeness.server).toMatchObject({ gaps: 5, firstGapFrame: 20 });
    expect(c.completeness.client).toMatchObject({ ackedUnseen: 1, firstAckedUnseenFrame: 74 });
  });
  itPublic('zeek rlogin-long-line: no out-of-window marks from the absent server ACKs; the server side is partial', async () => {
    const res = await read('zeek-rlogin-long-line.pcapng.gz');
    expect(marked(res, PacketMark.outOfWindow)).toEqual([]);
    const c = res.connections.get(0);
    expect(c.completeness.server.presence).toBe('partial');
    expect(c.completeness.client.beyondPeerWindow).toBeGreaterThan(13000);
    // tshark 4.0 marks the server's final FIN-ACK (frame 13987) "ACKed segment that wasn't captured":
    // its rlogin dissector throws on frame 4, which stops its sequence analysis of the client there.
    // Every client byte up to the FIN is in the capture and frame 13987 acknowledges exactly the FIN.
    expect(marked(res, PacketMark.ackedUnseen)).toEqual([]);
  });
});
