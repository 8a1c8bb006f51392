import { describe, expect, it } from 'vitest';
import type { FollowedStream, StreamChunk } from '../../core/stream/follow.ts';
import { joinPages } from './stream-items.ts';

function page(from: number, to: number, bytes: string, chunks: StreamChunk[]): FollowedStream {
  return {
    from,
    to,
    total: 20,
    chunks,
    bytes: new TextEncoder().encode(bytes),
    sideBytes: { client: 15, server: 5 },
    duplicateBytes: 0,
    gapBytes: { client: 0, server: 0 },
    outOfWindow: 0,
  };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('joinPages', () => {
  it('makes a chunk cut by a page boundary whole again, and keeps the markers', () => {
    const first = page(0, 8, 'GET /abc', [{ kind: 'data', side: 'client', frames: [4, 5], offset: 0, at: 0, length: 8, late: false }]);
    const second = page(8, 20, 'defgHTTP/1.1', [
      { kind: 'data', side: 'client', frames: [5], offset: 8, at: 0, length: 4, late: false },
      { kind: 'data', side: 'server', frames: [6], offset: 0, at: 4, length: 8, late: false },
      { kind: 'reset', side: 'server', frame: 7, lastFrame: 7, count: 1 },
    ]);
    const shown = joinPages([first, second]);
    expect(shown.map((c) => (c.kind === 'data' ? `${c.side} ${c.frames.join(',')} ${text(c.bytes)}` : c.kind))).toEqual([
      'client 4,5 GET /abcdefg',
      'server 6 HTTP/1.1',
      'reset',
    ]);
  });

  it('keeps chunks apart when a gap lies between them', () => {
    const one = page(0, 6, 'aaabbb', [
      { kind: 'data', side: 'server', frames: [4], offset: 0, at: 0, length: 3, late: false },
      { kind: 'gap', side: 'server', reason: 'not-captured', offset: 3, length: 10, frame: 6, late: 0 },
      { kind: 'data', side: 'server', frames: [6], offset: 13, at: 3, length: 3, late: false },
    ]);
    expect(joinPages([one]).map((c) => c.kind)).toEqual(['data', 'gap', 'data']);
  });
});
