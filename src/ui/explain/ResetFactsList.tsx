import type { ResetVerdict, SeqValidity } from '../../core/model/types.ts';
import { formatDuration, formatEndpoint } from '../shared/format.ts';

const VALIDITY: Record<SeqValidity, string> = {
  exact: 'exactly the expected sequence number',
  'in-window': 'inside the receive window',
  'out-of-window': 'outside the receive window',
  unknown: 'window unknown',
};

export function ResetFactsList({ reset, payloadText }: { reset: ResetVerdict; payloadText: string | undefined }) {
  const f = reset.facts;
  const ttlNote =
    f.senderTtl === null
      ? 'no other packet from the sender'
      : f.senderTtl.min === f.senderTtl.max
        ? `its other ${f.senderTtl.packets} packets: ${f.senderTtl.min}`
        : `its other ${f.senderTtl.packets} packets: ${f.senderTtl.min}–${f.senderTtl.max}`;
  const ttlOdd = f.senderTtl !== null && (f.ttl < f.senderTtl.min || f.ttl > f.senderTtl.max);
  return (
    <dl className="facts">
      <dt>Sender</dt>
      <dd>
        {formatEndpoint(f.sender.ip, f.sender.port)} <span className="muted">({reset.from})</span>
      </dd>
      <dt>Receiver</dt>
      <dd>{formatEndpoint(f.receiver.ip, f.receiver.port)}</dd>
      <dt>Seq</dt>
      <dd>
        {f.seq} <span className={f.seqValidity === 'out-of-window' ? 'warn' : 'muted'}>— {VALIDITY[f.seqValidity]}</span>
      </dd>
      <dt>Ack</dt>
      <dd>{f.ack === null ? <span className="muted">no ACK flag</span> : f.ack}</dd>
      <dt>TTL</dt>
      <dd>
        <span className={ttlOdd ? 'warn' : undefined}>{f.ttl}</span> <span className="muted">({ttlNote})</span>
      </dd>
      <dt>IP ID</dt>
      <dd>{f.ipId === null ? <span className="muted">none (IPv6)</span> : `0x${f.ipId.toString(16).padStart(4, '0')} (${f.ipId})`}</dd>
      <dt>After</dt>
      <dd>
        {f.sincePreviousPacket === null ? '—' : `${formatDuration(f.sincePreviousPacket)} after the previous packet`}
        {f.sinceSendersPreviousPacket === null ? null : (
          <>
            <br />
            {formatDuration(f.sinceSendersPreviousPacket)} after the sender's previous one
          </>
        )}
      </dd>
      <dt>Payload</dt>
      <dd>
        {f.payloadLength} bytes
        {payloadText ? <pre className="payload-text">{payloadText}</pre> : null}
      </dd>
    </dl>
  );
}
