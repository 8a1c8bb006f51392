/**
 * What the classifier reads of a connection with a RST, as the full `Connection` has it, read
 * straight from the connection table's columns: the few fields the rules, the contexts and the
 * verdicts use, the costlier ones (state, application replies) only when a rule asks for them.
 * A `Connection` made for every reset connection (both directions' statistics, copies of their RST
 * frames) cost more than the rest of the reset's context.
 */
import type { AppContext } from '../app/types.ts';
import type { AppReply, Completeness, Connection, DirectionStats, Endpoint } from '../model/types.ts';
import { dirIndex, synAckToAck, synToSynAck, type ConnectionTable } from '../tcp/connection-table.ts';

/** One direction as the classifier reads it (as in `DirectionStats`). */
export type DirView = Pick<DirectionStats, 'packets' | 'baseSeq' | 'windowScale' | 'ttlMin' | 'ttlMax'> & { rstFrames: readonly number[] };

/** The fields of a `Connection` the classifier reads, with the same values. */
export interface ConnView extends Pick<Connection, 'id' | 'client' | 'server' | 'ipVersion' | 'start' | 'packets' | 'state' | 'history' | 'handshake' | 'medianGap' | 'appReplies' | 'completeness'> {
  dir: { client: DirView; server: DirView };
  app?: AppContext | undefined;
}

/** One direction's fields, its RST frames looked up in the table's map only when read (few rules do). */
class TableDirView implements DirView {
  readonly packets: number;
  readonly baseSeq: number | null;
  readonly windowScale: number;
  readonly ttlMin: number;
  readonly ttlMax: number;

  constructor(
    private readonly table: ConnectionTable,
    private readonly id: number,
    private readonly side: 'client' | 'server',
  ) {
    const D = table.dir;
    const k = dirIndex(id, side === 'client');
    const packets = D.packets[k]!;
    const baseSeq = D.baseSeq[k]!;
    this.packets = packets;
    this.baseSeq = baseSeq < 0 ? null : baseSeq;
    this.windowScale = D.windowScale[k]!;
    this.ttlMin = packets ? D.ttlMin[k]! : 0;
    this.ttlMax = D.ttlMax[k]!;
  }

  get rstFrames(): readonly number[] {
    return this.table.rstFramesFrom(this.id, this.side);
  }
}

class TableConnView implements ConnView {
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly ipVersion: 4 | 6;
  readonly start: number;
  readonly packets: number;
  readonly history: string;
  readonly handshake: { synToSynAck: number | null; synAckToAck: number | null };
  readonly medianGap: number;
  readonly dir: { client: DirView; server: DirView };
  readonly completeness: Completeness;
  readonly app: AppContext | undefined;
  private stateText: string | null = null;
  private replies: AppReply[] | null = null;

  constructor(
    private readonly table: ConnectionTable,
    readonly id: number,
    hasRst: boolean | undefined,
  ) {
    const C = table.conn;
    const hosts = table.hosts.values;
    this.client = { ip: hosts[C.clientHost[id]!]!, port: C.clientPort[id]! };
    this.server = { ip: hosts[C.serverHost[id]!]!, port: C.serverPort[id]! };
    this.ipVersion = C.ipVersion[id] === 6 ? 6 : 4;
    this.start = C.startNs[id]! * 1e-9;
    this.packets = C.packets[id]!;
    this.history = table.history[id]!;
    this.handshake = { synToSynAck: synToSynAck(table, id), synAckToAck: synAckToAck(table, id) };
    this.medianGap = C.medianGapNs[id]! / 1e9;
    this.dir = { client: new TableDirView(table, id, 'client'), server: new TableDirView(table, id, 'server') };
    this.completeness = table.completeness(id, hasRst);
    this.app = table.appContext(id) ?? undefined;
  }

  get state(): string {
    return (this.stateText ??= this.table.stateOf(this.id));
  }

  get appReplies(): AppReply[] {
    return (this.replies ??= this.table.appReplies(this.id));
  }
}

/** Connection `id` as the classifier reads it; `hasRst` whether it has a RST, when known (see `ConnectionTable.completeness`). */
export function connView(table: ConnectionTable, id: number, hasRst?: boolean): ConnView {
  return new TableConnView(table, id, hasRst);
}
