import { describe, expect, it } from 'vitest';
import type { ResetVerdict } from '../model/types.ts';
import { JsonBytes } from './json-bytes.ts';
import { writeVerdict } from './verdict-bytes.ts';

const verdict = (): ResetVerdict => ({
  frame: 12,
  time: 0.004483,
  from: 'client',
  flags: 'RST, ACK',
  scenario: 'fast-close',
  severity: 'normal',
  confidence: 0.78,
  alternatives: [{ scenario: 'abort', confidence: 0.72 }],
  evidence: [
    { frame: 10, fact: 'the server\'s reply was the "last" data', claim: { from: 'server', minLen: 30, maxLen: 30 } },
    { frame: 11, fact: 'acknowledged' },
    { fact: 'captured on the server’s side (TTL 64, 57)' },
    { fact: 'no SYN-ACK', absent: { from: 'server', set: 18, before: 12 } },
  ],
  explanation: 'The client ended the connection with a reset.',
  nextSteps: ['Nothing.'],
  reference: 'a reference',
  findings: [],
  facts: {
    sender: { ip: '10.0.0.1', port: 40000 },
    receiver: { ip: '10.0.0.2', port: 80 },
    seq: 20,
    ack: null,
    seqValidity: 'exact',
    ttl: 64,
    senderTtl: { min: 64, max: 64, packets: 4 },
    ipId: null,
    sincePreviousPacket: 0.000023,
    sinceSendersPreviousPacket: null,
    payloadLength: 0,
  },
});

function written(v: unknown, indent: number): string {
  const w = new JsonBytes(16);
  writeVerdict(w, v as ResetVerdict, indent);
  return new TextDecoder().decode(w.take());
}

describe('writeVerdict', () => {
  it('writes a verdict of every shape as JSON.stringify does, indented', () => {
    const cases: unknown[] = [verdict()];
    // Text in the payload, a repeat, and keys stringify leaves out or that come in another order.
    const withText = verdict();
    withText.facts.payloadText = 'HTTP/1.1 400 "bad"\r\n';
    cases.push(withText, { ...verdict(), repeatOf: 3 });
    const skipped = verdict() as unknown as Record<string, unknown>;
    skipped.explanation = undefined;
    cases.push(skipped);
    const { frame, ...rest } = verdict();
    cases.push({ ...rest, frame });
    const oddFacts = verdict() as unknown as { facts: Record<string, unknown> };
    oddFacts.facts.ipId = () => 1;
    cases.push(oddFacts);
    const oddEvidence = verdict() as unknown as { evidence: unknown[] };
    oddEvidence.evidence.push({ fact: 'claim without a frame', claim: { from: 'client' } }, { frame: undefined, fact: 'an undefined frame' }, undefined, 'text', { toJSON: () => 'as JSON' });
    cases.push(oddEvidence);
    cases.push({ ...verdict(), facts: null, evidence: 'not a list' });
    for (const v of cases) {
      for (const indent of [0, 8]) expect(written(v, indent)).toBe(JSON.stringify(v, null, 2).replace(/\n/g, `\n${' '.repeat(indent)}`));
    }
  });
});
