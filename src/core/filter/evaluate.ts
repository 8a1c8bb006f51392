/**
 * Evaluating a parsed filter over connections. A connection's packets fall in at most four kinds for
 * the packet fields (sent by the client or the server, RST or not), and every packet of one kind has
 * the same values: the connection matches when the expression holds for a kind it has packets of,
 * which is exactly "some packet of the stream matches", tshark's answer. An expression without packet
 * fields is evaluated once per connection.
 *
 * Values follow Wireshark: a relation on a field the connection does not have (`ip.src` on IPv6,
 * `conn.rtt` without a handshake, `rst.scenario` without a reset) is false, `!=` included; `not`
 * inverts. `==` holds when any value equals, `!=` when none does (`ip.addr`, `tcp.port` and the
 * `rst.*` fields have several values).
 *
 * The `tcp.analysis.*` fields are known per direction, not per packet (one mask a connection): within
 * one direction they hold for its RST and non-RST packets alike, so only an expression that ties one
 * to `tcp.flags.reset` can keep a connection tshark would not.
 */
import { compareAddresses, inBlock, parseAddressBlock, type AddressBlock } from './address.ts';
import { EXPERT_SERVER_SHIFT } from '../expert/expert.ts';
import { EXPERT_KIND_IDS, type FieldDef } from './fields.ts';
import type { FilterExpr, FilterValue } from './parse.ts';
import { serviceOfPort } from './services.ts';

/** What the filter reads of connections: the command line's table and the page's list both provide it. */
export interface FilterSource {
  readonly count: number;
  /** Its tcp.stream (model/stream-number.ts); the id when absent. */
  stream?(id: number): number;
  /** Distinct address texts; connections refer to them by index. */
  readonly addresses: readonly string[];
  clientAddress(id: number): number;
  serverAddress(id: number): number;
  clientPort(id: number): number;
  serverPort(id: number): number;
  /** Packets the client (true) or the server sent, and how many of them were RSTs. */
  sentPackets(id: number, fromClient: boolean): number;
  sentResets(id: number, fromClient: boolean): number;
  state(id: number): string;
  history(id: number): string;
  /** TCP payload bytes, both directions. */
  bytes(id: number): number;
  packets(id: number): number;
  /** Seconds. */
  duration(id: number): number;
  /** Handshake round trip in seconds, or null. */
  rtt(id: number): number | null;
  resetCount(id: number): number;
  resetScenario(id: number, k: number): string;
  resetSeverity(id: number, k: number): string;
  /** The server's name the capture shows (TLS SNI, HTTP Host or a DNS answer), or null. */
  serverName(id: number): string | null;
  /**
   * The expert kinds of the connection's packets as expert.ts's `expertMasks` makes them (the
   * client's in the low 16 bits, the server's in the high); absent or 0 where not computed.
   */
  expertKinds?(id: number): number;
}

/** One kind of packet of a connection: its direction and whether it is a RST. */
interface PacketKind {
  fromClient: boolean;
  rst: boolean;
}

type Test = (id: number, kind: PacketKind) => boolean;

/** Whether the expression reads a packet field (then each packet kind is tried). */
function usesPacketFields(e: FilterExpr): boolean {
  switch (e.kind) {
    case 'and':
    case 'or':
      return usesPacketFields(e.left) || usesPacketFields(e.right);
    case 'not':
      return usesPacketFields(e.expr);
    default:
      return e.field.scope === 'packet';
  }
}

/** Whether the expression reads the connections' expert kinds (`tcp.analysis.*`, `conn.expert`): they cost a pass over the packets to compute. */
export function usesExpertFields(e: FilterExpr): boolean {
  switch (e.kind) {
    case 'and':
    case 'or':
      return usesExpertFields(e.left) || usesExpertFields(e.right);
    case 'not':
      return usesExpertFields(e.expr);
    default:
      return e.field.type === 'flag' || e.field.name === 'conn.expert';
  }
}

/** A predicate on connection ids, built once for a source (address parsing is cached per address). */
export function compileFilter(expr: FilterExpr, source: FilterSource): (id: number) => boolean {
  const addresses: (AddressBlock | null | undefined)[] = new Array(source.addresses.length);
  const addressAt = (i: number): AddressBlock | null => {
    let a = addresses[i];
    if (a === undefined) addresses[i] = a = parseAddressBlock(source.addresses[i] ?? '');
    return a;
  };
  const test = compile(expr, source, addressAt);
  const anyKind = { fromClient: true, rst: false };
  if (!usesPacketFields(expr)) return (id) => test(id, anyKind);
  const kinds: PacketKind[] = [
    { fromClient: true, rst: false },
    { fromClient: true, rst: true },
    { fromClient: false, rst: false },
    { fromClient: false, rst: true },
  ];
  return (id) => {
    for (const kind of kinds) {
      const sent = source.sentPackets(id, kind.fromClient);
      const resets = source.sentResets(id, kind.fromClient);
      if ((kind.rst ? resets : sent - resets) > 0 && test(id, kind)) return true;
    }
    return false;
  };
}

/**
 * The values a field has for a connection and packet kind, written into `out`; returns how many
 * (0: the field is absent). A scratch array instead of a new one per call: a million connections
 * are evaluated per keystroke.
 */
type Values<T> = (id: number, kind: PacketKind, out: T[]) => number;

type AddressAt = (i: number) => AddressBlock | null;

function compile(e: FilterExpr, s: FilterSource, addressAt: AddressAt): Test {
  switch (e.kind) {
    case 'and': {
      const l = compile(e.left, s, addressAt);
      const r = compile(e.right, s, addressAt);
      return (id, k) => l(id, k) && r(id, k);
    }
    case 'or': {
      const l = compile(e.left, s, addressAt);
      const r = compile(e.right, s, addressAt);
      return (id, k) => l(id, k) || r(id, k);
    }
    case 'not': {
      const inner = compile(e.expr, s, addressAt);
      return (id, k) => !inner(id, k);
    }
    default:
      break;
  }
  const field = e.field;
  switch (field.type) {
    case 'protocol': {
      const want = field.name === 'ip' ? 4 : field.name === 'ipv6' ? 6 : 0;
      return (id) => want === 0 || addressAt(s.clientAddress(id))?.version === want;
    }
    case 'flag': {
      // Present on a packet kind when a packet its direction sent has one of the field's kinds.
      const bits = field.expertBits ?? 0;
      const kinds = s.expertKinds?.bind(s);
      if (!kinds) return () => false;
      return (id, k) => ((kinds(id) >>> (k.fromClient ? 0 : EXPERT_SERVER_SHIFT)) & bits) !== 0;
    }
    case 'ipv4':
    case 'ipv6': {
      // Values are address indices; whether one satisfies the relation is worked out once per address.
      const version = field.type === 'ipv4' ? 4 : 6;
      const verdicts = new Uint8Array(s.addresses.length); // 0 unknown, 1 holds, 2 does not
      const one = valueTest<AddressBlock>(e, addressOrder);
      const holds = (i: number): boolean => {
        let v = verdicts[i]!;
        if (v === 0) verdicts[i] = v = one(addressAt(i)!) ? 1 : 2;
        return v === 1;
      };
      return relation(e, addressValues(field.name.split('.')[1]!, version, s, addressAt), holds);
    }
    case 'text':
      return relation(e, textValues(field, s), valueTest<string>(e, (t, v) => (v.kind === 'text' && t === v.value ? 0 : 1)));
    default:
      return relation(e, numberValues(field, s), valueTest<number>(e, numberOrder));
  }
}

function addressValues(part: string, version: number, s: FilterSource, addressAt: AddressAt): Values<number> {
  return (id, kind, out) => {
    const client = s.clientAddress(id);
    if (addressAt(client)?.version !== version) return 0;
    const server = s.serverAddress(id);
    if (part === 'addr') {
      out[0] = client;
      out[1] = server;
      return 2;
    }
    out[0] = (part === 'src') === kind.fromClient ? client : server;
    return 1;
  };
}

function numberValues(field: FieldDef, s: FilterSource): Values<number> {
  const one =
    (get: (id: number, kind: PacketKind) => number): Values<number> =>
    (id, kind, out) => {
      out[0] = get(id, kind);
      return 1;
    };
  switch (field.name) {
    case 'tcp.port':
      return (id, _k, out) => {
        out[0] = s.clientPort(id);
        out[1] = s.serverPort(id);
        return 2;
      };
    case 'tcp.srcport':
      return one((id, k) => (k.fromClient ? s.clientPort(id) : s.serverPort(id)));
    case 'tcp.dstport':
      return one((id, k) => (k.fromClient ? s.serverPort(id) : s.clientPort(id)));
    case 'tcp.stream':
      return s.stream ? one(s.stream) : one((id) => id);
    case 'tcp.flags.reset':
      return one((_id, k) => (k.rst ? 1 : 0));
    case 'rst.count':
      return one((id) => s.resetCount(id));
    case 'conn.bytes':
      return one((id) => s.bytes(id));
    case 'conn.packets':
      return one((id) => s.packets(id));
    case 'conn.duration':
      return one((id) => s.duration(id));
    case 'conn.rtt':
      return (id, _k, out) => {
        const rtt = s.rtt(id);
        if (rtt === null) return 0;
        out[0] = rtt;
        return 1;
      };
    default:
      throw new Error(`no values for ${field.name}`);
  }
}

function textValues(field: FieldDef, s: FilterSource): Values<string> {
  switch (field.name) {
    case 'rst.scenario':
    case 'rst.severity': {
      const get = field.name === 'rst.scenario' ? s.resetScenario.bind(s) : s.resetSeverity.bind(s);
      return (id, _k, out) => {
        const n = s.resetCount(id);
        for (let k = 0; k < n; k++) out[k] = get(id, k);
        return n;
      };
    }
    case 'conn.state':
      return (id, _k, out) => {
        out[0] = s.state(id);
        return 1;
      };
    case 'conn.history':
      return (id, _k, out) => {
        out[0] = s.history(id);
        return 1;
      };
    case 'conn.expert':
      return (id, _k, out) => {
        const m = s.expertKinds?.(id) ?? 0;
        const both = (m | (m >>> EXPERT_SERVER_SHIFT)) & ((1 << EXPERT_SERVER_SHIFT) - 1);
        let n = 0;
        for (let k = 0; both >>> k !== 0; k++) if (both & (1 << k)) out[n++] = EXPERT_KIND_IDS[k]!;
        return n;
      };
    case 'conn.name':
      return (id, _k, out) => {
        const name = s.serverName(id);
        if (name === null) return 0;
        out[0] = name;
        return 1;
      };
    case 'conn.service':
      return (id, _k, out) => {
        const name = serviceOfPort(s.serverPort(id));
        if (name === null) return 0;
        out[0] = name;
        return 1;
      };
    default:
      throw new Error(`no values for ${field.name}`);
  }
}

/** <0, 0 (equal, or inside the block) or >0 (NaN: cannot compare). */
function addressOrder(a: AddressBlock, v: FilterValue): number {
  if (v.kind !== 'address') return Number.NaN;
  if (inBlock(a, v.block)) return 0;
  return compareAddresses(a, v.block) || 1;
}

function numberOrder(n: number, v: FilterValue): number {
  if (v.kind === 'number') return n - v.value;
  if (v.kind === 'range') return n < v.low ? -1 : n > v.high ? 1 : 0;
  return Number.NaN;
}

type Relation = Extract<FilterExpr, { kind: 'exists' | 'compare' | 'in' }>;

/** Whether one value satisfies the relation (for `!=`: differs; "all"/"any" is applied over the values later). */
function valueTest<T>(e: Relation, order: (x: T, v: FilterValue) => number): (x: T) => boolean {
  if (e.kind === 'exists') return () => true;
  if (e.kind === 'in') {
    const set = e.values;
    return (x) => set.some((v) => order(x, v) === 0);
  }
  const v = e.value;
  switch (e.op) {
    case 'contains':
      return (x) => typeof x === 'string' && v.kind === 'text' && x.includes(v.value);
    case 'matches':
      return (x) => typeof x === 'string' && v.kind === 'regex' && v.value.test(x);
    case 'any_eq':
    case 'all_eq':
      return (x) => order(x, v) === 0;
    case 'all_ne':
    case 'any_ne':
      return (x) => order(x, v) !== 0;
    case 'lt':
      return (x) => order(x, v) < 0;
    case 'gt':
      return (x) => order(x, v) > 0;
    case 'le':
      return (x) => order(x, v) <= 0;
    case 'ge':
      return (x) => order(x, v) >= 0;
  }
}

/** A relation over a field's values: present and (for `!=` and `===`) all of them hold, otherwise any. */
function relation<T>(e: Relation, values: Values<T>, holds: (x: T) => boolean): Test {
  const scratch: T[] = [];
  if (e.kind === 'exists') return (id, k) => values(id, k, scratch) > 0;
  const all = e.kind === 'compare' && (e.op === 'all_ne' || e.op === 'all_eq');
  return (id, k) => {
    const n = values(id, k, scratch);
    if (n === 0) return false;
    for (let i = 0; i < n; i++) if (holds(scratch[i]!) !== all) return !all;
    return all;
  };
}
