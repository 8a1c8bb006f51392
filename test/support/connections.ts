/** Builders of small report objects for unit tests of the app layers. */
import type { Connection, DirectionCompleteness, DirectionStats, ResetVerdict } from '../../src/core/model/types.ts';

export function makeDirectionCompleteness(over: Partial<DirectionCompleteness> = {}): DirectionCompleteness {
  return {
    presence: 'seen',
    gaps: 0,
    gapBytes: 0,
    firstGapFrame: null,
    ackedUnseen: 0,
    firstAckedUnseenFrame: null,
    beyondPeerWindow: 0,
    snapCut: 0,
    firstSnapCutFrame: null,
    ...over,
  };
}

export function makeDirection(over: Partial<DirectionStats> = {}): DirectionStats {
  return {
    packets: 0,
    bytes: 0,
    ipBytes: 0,
    isn: null,
    baseSeq: null,
    nextSeq: null,
    highestAck: null,
    synFrame: null,
    finFrame: null,
    rstFrames: [],
    retransmissions: 0,
    keepalives: 0,
    zeroWindows: 0,
    dupAcks: 0,
    ttlMin: 64,
    ttlMax: 64,
    windowScale: -1,
    mss: 0,
    sackPermitted: false,
    timestamps: false,
    ...over,
  };
}

export function makeReset(over: Partial<ResetVerdict> = {}): ResetVerdict {
  return {
    frame: 1,
    time: 0,
    from: 'server',
    flags: 'RST, ACK',
    scenario: 'unknown',
    severity: 'problem',
    confidence: 0.5,
    alternatives: [],
    evidence: [],
    explanation: '',
    nextSteps: [],
    reference: '',
    findings: [],
    facts: {
      sender: { ip: '10.0.0.2', port: 80 },
      receiver: { ip: '10.0.0.1', port: 40000 },
      seq: 1,
      ack: 1,
      seqValidity: 'exact',
      ttl: 64,
      senderTtl: null,
      ipId: null,
      sincePreviousPacket: null,
      sinceSendersPreviousPacket: null,
      payloadLength: 0,
    },
    ...over,
  };
}

export function makeConnection(id: number, over: Partial<Connection> = {}): Connection {
  return {
    id,
    client: { ip: '10.0.0.1', port: 40000 + id },
    server: { ip: '10.0.0.2', port: 80 },
    ipVersion: 4,
    firstFrame: id * 10 + 1,
    lastFrame: id * 10 + 5,
    start: id,
    end: id + 1,
    packets: 5,
    bytes: { client: 100, server: 1000 },
    state: 'SF',
    history: 'ShADadFf',
    resets: [],
    handshake: { synToSynAck: null, synAckToAck: null },
    maxIdle: 0,
    medianGap: 0,
    dir: { client: makeDirection(), server: makeDirection() },
    appReplies: [],
    completeness: {
      startedMidConnection: false,
      endedBeforeClose: false,
      client: makeDirectionCompleteness(),
      server: makeDirectionCompleteness(),
    },
    ...over,
  };
}
