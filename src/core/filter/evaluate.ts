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
 */
import { compareAddresses, inBlock, parseAddressBlock, type AddressBlock } from './address.ts';
import type { FieldDef } from './fields.ts';
import type { CompareOp, FilterExpr, FilterValue } from './parse.ts';
import { serviceOfPort } from './services.ts';

/** What the filter reads of connections: the command line's table and the page's list both provide it. */
export interface FilterSource {
  readonly count: number;
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

/** The values a field has for a connection and packet kind (none: absent). */
type Values<T> = (id: number, kind: PacketKind) => readonly T[];

function compile(e: FilterExpr, s: FilterSource, addressAt: (i: number) => AddressBlock | null): Test {
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
  const kindOf = fieldKind(field);
  if (kindOf === 'address') {
    const values = addressValues(field, s, addressAt);
    return relation(e, values, (a, v) => addressMatch(a, v));
  }
  if (kindOf === 'number') {
    const values = numberValues(field, s);
    return relation(e, values, (n, v) => numberMatch(n, v));
  }
  if (kindOf === 'protocol') {
    const want = field.name === 'ip' ? 4 : field.name === 'ipv6' ? 6 : 0;
    return (id) => want === 0 || versionOf(s, addressAt, id) === want;
  }
  const values = textValues(field, s);
  return relation(e, values, (t, v) => (v.kind === 'text' && t === v.value ? 0 : 1));
}

function fieldKind(f: FieldDef): 'address' | 'number' | 'text' | 'protocol' {
  if (f.type === 'ipv4' || f.type === 'ipv6') return 'address';
  if (f.type === 'text') return 'text';
  if (f.type === 'protocol') return 'protocol';
  return 'number';
}

function versionOf(s: FilterSource, addressAt: (i: number) => AddressBlock | null, id: number): number {
  return addressAt(s.clientAddress(id))?.version ?? 0;
}

const NONE: readonly never[] = [];

function addressValues(field: FieldDef, s: FilterSource, addressAt: (i: number) => AddressBlock | null): Values<AddressBlock> {
  const version = field.type === 'ipv4' ? 4 : 6;
  const part = field.name.split('.')[1];
  return (id, kind) => {
    const client = addressAt(s.clientAddress(id));
    const server = addressAt(s.serverAddress(id));
    if (!client || !server || client.version !== version) return NONE;
    if (part === 'addr') return [client, server];
    const src = kind.fromClient ? client : server;
    const dst = kind.fromClient ? server : client;
    return [part === 'src' ? src : dst];
  };
}

function numberValues(field: FieldDef, s: FilterSource): Values<number> {
  switch (field.name) {
    case 'tcp.port':
      return (id) => [s.clientPort(id), s.serverPort(id)];
    case 'tcp.srcport':
      return (id, k) => [k.fromClient ? s.clientPort(id) : s.serverPort(id)];
    case 'tcp.dstport':
      return (id, k) => [k.fromClient ? s.serverPort(id) : s.clientPort(id)];
    case 'tcp.stream':
      return (id) => [id];
    case 'tcp.flags.reset':
      return (_id, k) => [k.rst ? 1 : 0];
    case 'rst.count':
      return (id) => [s.resetCount(id)];
    case 'conn.bytes':
      return (id) => [s.bytes(id)];
    case 'conn.packets':
      return (id) => [s.packets(id)];
    case 'conn.duration':
      return (id) => [s.duration(id)];
    case 'conn.rtt':
      return (id) => {
        const rtt = s.rtt(id);
        return rtt === null ? NONE : [rtt];
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
      return (id) => {
        const n = s.resetCount(id);
        if (n === 0) return NONE;
        const out: string[] = [];
        for (let k = 0; k < n; k++) out.push(get(id, k));
        return out;
      };
    }
    case 'conn.state':
      return (id) => [s.state(id)];
    case 'conn.history':
      return (id) => [s.history(id)];
    case 'conn.service':
      return (id) => {
        const name = serviceOfPort(s.serverPort(id));
        return name === null ? NONE : [name];
      };
    default:
      throw new Error(`no values for ${field.name}`);
  }
}

function addressMatch(a: AddressBlock, v: FilterValue): number {
  if (v.kind !== 'address') return Number.NaN;
  // 0 for "equal" (inside the block), otherwise the order, for < and >.
  if (inBlock(a, v.block)) return 0;
  return compareAddresses(a, v.block) || 1;
}

function numberMatch(n: number, v: FilterValue): number {
  if (v.kind === 'number') return n - v.value;
  if (v.kind === 'range') return n < v.low ? -1 : n > v.high ? 1 : 0;
  return Number.NaN;
}

/** A relation over a field's values; `order` gives <0, 0 or >0 (NaN: cannot compare). */
function relation<T>(e: Extract<FilterExpr, { kind: 'exists' | 'compare' | 'in' }>, values: Values<T>, order: (x: T, v: FilterValue) => number): Test {
  if (e.kind === 'exists') return (id, k) => values(id, k).length > 0;
  if (e.kind === 'in') {
    const set = e.values;
    return (id, k) => values(id, k).some((x) => set.some((v) => order(x, v) === 0));
  }
  const v = e.value;
  const op = e.op;
  if (op === 'contains' || op === 'matches') {
    return (id, k) =>
      values(id, k).some((x) => (typeof x === 'string' ? (v.kind === 'regex' ? v.value.test(x) : v.kind === 'text' && x.includes(v.value)) : false));
  }
  const holds = compareOp(op);
  const all = op === 'all_ne' || op === 'all_eq';
  return (id, k) => {
    const xs = values(id, k);
    if (xs.length === 0) return false;
    return all ? xs.every((x) => holds(order(x, v))) : xs.some((x) => holds(order(x, v)));
  };
}

function compareOp(op: Exclude<CompareOp, 'contains' | 'matches'>): (d: number) => boolean {
  switch (op) {
    case 'any_eq':
    case 'all_eq':
      return (d) => d === 0;
    case 'all_ne':
    case 'any_ne':
      return (d) => d !== 0;
    case 'lt':
      return (d) => d < 0;
    case 'gt':
      return (d) => d > 0;
    case 'le':
      return (d) => d <= 0;
    case 'ge':
      return (d) => d >= 0;
  }
}
