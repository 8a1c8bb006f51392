import { describe, expect, it } from 'vitest';
import { analyzeBytes, capturesIn, readTestdata } from '../../../test/support/captures.ts';
import { resetListParts, writeConnectionHead, writeConnectionTail } from './connection-bytes.ts';
import { JsonBytes } from './json-bytes.ts';
import { writeVerdict } from './verdict-bytes.ts';

const text = (w: JsonBytes): string => new TextDecoder().decode(w.buf.subarray(0, w.pos));

describe('writeConnectionHead and writeConnectionTail', () => {
  it('write every connection of the lab and regression captures as JSON.stringify does, resets and all', async () => {
    let checked = 0;
    let withApp = 0;
    let withReplies = 0;
    let withResets = 0;
    // Connections and directions the common-case texts fit (see `writeConnectionTail`), and those they do not.
    let missing = 0;
    let whole = 0;
    let busy = 0;
    let quiet = 0;
    for (const folder of ['lab', 'regressions']) {
      for (const file of capturesIn(folder)) {
        const { connections } = await analyzeBytes(file, readTestdata(folder, file));
        const list = resetListParts(4);
        for (let id = 0; id < connections.length; id++) {
          // Without its resets (what the report writes around them)...
          const c = connections.get(id, false);
          const w = new JsonBytes(64);
          writeConnectionHead(w, connections, id, 4);
          w.raw(list.empty);
          writeConnectionTail(w, connections, id, 4);
          expect(text(w)).toBe(JSON.stringify(c, null, 2).replace(/\n/g, '\n    '));
          // ...and with them, where none repeats another (a repeat is written as a short record).
          if (!connections.repeatedResetsOf(id)) {
            const full = connections.get(id);
            const v = new JsonBytes(64);
            writeConnectionHead(v, connections, id, 4);
            if (full.resets.length === 0) v.raw(list.empty);
            full.resets.forEach((r, k) => {
              v.raw(k ? list.next : list.first);
              writeVerdict(v, r, list.inner);
            });
            if (full.resets.length > 0) v.raw(list.end);
            writeConnectionTail(v, connections, id, 4);
            expect(text(v)).toBe(JSON.stringify(full, null, 2).replace(/\n/g, '\n    '));
            if (full.resets.length > 0) withResets++;
          }
          checked++;
          const sides = [c.completeness.client, c.completeness.server];
          if (sides.some((d) => d.gaps + d.ackedUnseen + d.beyondPeerWindow + d.snapCut > 0 || d.presence !== 'seen')) missing++;
          else if (c.appReplies.length === 0) whole++;
          for (const d of [c.dir.client, c.dir.server]) {
            if (d.rstFrames.length + d.retransmissions + d.keepalives + d.zeroWindows + d.dupAcks > 0) busy++;
            else quiet++;
          }
          if (c.app) withApp++;
          if (c.appReplies.length > 0) withReplies++;
        }
      }
    }
    // The captures hold the rarer shapes too: application context and reply lines.
    expect(checked).toBeGreaterThan(50);
    expect(withResets).toBeGreaterThan(20);
    expect(withApp).toBeGreaterThan(0);
    expect(withReplies).toBeGreaterThan(0);
    expect(missing).toBeGreaterThan(10);
    expect(whole).toBeGreaterThan(10);
    expect(busy).toBeGreaterThan(10);
    expect(quiet).toBeGreaterThan(10);
  });
});
