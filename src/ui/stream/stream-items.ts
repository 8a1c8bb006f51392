/**
 * The parts of a followed stream the page has loaded, joined into what it shows: data chunks with
 * their own bytes (a chunk cut by a page boundary is made whole again), and the markers between.
 */
import type { FollowedStream, StreamFin, StreamGap, StreamReset, StreamSide } from '../../core/stream/follow.ts';

export interface ShownData {
  kind: 'data';
  side: StreamSide;
  frames: number[];
  offset: number;
  bytes: Uint8Array;
  late: boolean;
}

export type ShownChunk = ShownData | StreamGap | StreamFin | StreamReset;

/** The chunks of consecutive pages of one stream, in order. */
export function joinPages(pages: readonly FollowedStream[]): ShownChunk[] {
  const out: ShownChunk[] = [];
  for (const page of pages) {
    for (const chunk of page.chunks) {
      if (chunk.kind !== 'data') {
        out.push(chunk);
        continue;
      }
      const bytes = page.bytes.subarray(chunk.at, chunk.at + chunk.length);
      const last = out[out.length - 1];
      if (last?.kind === 'data' && last.side === chunk.side && last.late === chunk.late && last.offset + last.bytes.length === chunk.offset) {
        const joined = new Uint8Array(last.bytes.length + bytes.length);
        joined.set(last.bytes, 0);
        joined.set(bytes, last.bytes.length);
        last.bytes = joined;
        for (const f of chunk.frames) if (last.frames[last.frames.length - 1] !== f) last.frames.push(f);
      } else {
        out.push({ kind: 'data', side: chunk.side, frames: [...chunk.frames], offset: chunk.offset, bytes, late: chunk.late });
      }
    }
  }
  return out;
}
