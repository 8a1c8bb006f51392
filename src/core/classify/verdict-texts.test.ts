/**
 * What a verdict says, where the classifier writes it in pieces (index.ts): a refusal on its own, and
 * the same refusal as one of a port scan's resets, which cites only the first sentence of the rule
 * that fits it (written alone by `Rule.lead`), after the scan's own story.
 */
import { describe, expect, it } from 'vitest';
import { tcpConversation, type ConversationOptions, type TcpConversation } from '../../../test/synth/conversation.ts';
import { allVerdicts, analyzeConversations, onlyVerdict } from '../../../test/support/verdicts.ts';

const C = '10.0.0.1';
const S = '10.0.0.2';
const conv = (o: Partial<ConversationOptions> = {}): TcpConversation =>
  tcpConversation({ client: `${C}:40000`, server: `${S}:8080`, serverTtl: 58, rtt: 0.01, ...o });

describe('the texts of refused resets', () => {
  it('explains a lone refusal in two sentences', async () => {
    const v = onlyVerdict(await analyzeConversations(conv().syn().refuse()));
    expect(v.scenario).toBe('refused');
    expect(v.explanation).toBe(
      `${S}:8080 answered the SYN from ${C}:40000 with a reset instead of a SYN-ACK. ` +
        `Nothing accepted connections on port 8080 of ${S} at that moment: the service is down, listens elsewhere, or the port is wrong.`,
    );
  });

  it("explains a port scan's refusal by the scan, then the refusal's first sentence", async () => {
    const probes = Array.from({ length: 12 }, (_, i) =>
      conv({ client: `${C}:${50000 + i}`, server: `${S}:${1000 + i}`, start: 1_700_000_000 + i * 0.01 }).syn().refuse(),
    );
    const verdicts = allVerdicts(await analyzeConversations(...probes));
    expect(verdicts).toHaveLength(12);
    verdicts.forEach((v, i) => {
      expect(v.scenario).toBe('port-scan');
      expect(v.explanation).toBe(
        `This reset is one of many drawn by ${C}, which probed many ports or hosts in a short time. ` +
          `${S}:${1000 + i} answered the SYN from ${C}:${50000 + i} with a reset instead of a SYN-ACK.`,
      );
      // The rule's own reading comes first among the alternatives.
      expect(v.alternatives[0]).toEqual({ scenario: 'refused', confidence: 0.85 });
    });
  });
});
