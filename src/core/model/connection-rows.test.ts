import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Connection } from './types.ts';
import { makeConnection, makeReset } from '../../../test/support/connections.ts';
import { connectionScenarioCounts, listOf, listRow } from './list-columns.ts';
import {
  DEFAULT_SORT,
  MAX_FILTER_TERMS,
  MAX_FILTER_TEXT,
  NO_FILTERS,
  endpointMatcher,
  filterChoices,
  filterTerms,
  portPrefixRanges,
  selectConnectionRows,
  type SortKey,
} from './connection-rows.ts';

const conns = [
  makeConnection(0, { client: { ip: '10.0.0.9', port: 5000 }, packets: 10 }),
  makeConnection(1, {
    client: { ip: '10.0.0.10', port: 5001 },
    state: 'REJ',
    packets: 2,
    resets: [makeReset({ scenario: 'refused', time: 1.5 })],
  }),
  makeConnection(2, { client: { ip: '192.168.1.1', port: 6000 }, server: { ip: '2001:db8::1', port: 443 }, packets: 7 }),
  makeConnection(3, {
    state: 'RSTO',
    packets: 40,
    resets: [
      makeReset({ scenario: 'fast-close', severity: 'normal', time: 9, findings: ['f1'] }),
      makeReset({ scenario: 'abort', time: 9.1 }),
      makeReset({ scenario: 'abort', time: 9.2 }),
    ],
  }),
];

const list = listOf(conns);
const rows = (f = NO_FILTERS, s = DEFAULT_SORT): number[] => [...selectConnectionRows(list, f, s)];

describe('selectConnectionRows', () => {
  it('puts connections with resets first by default, then keeps capture order', () => {
    expect(rows()).toEqual([1, 3, 0, 2]);
  });

  it('sorts by a column, both ways, ties in capture order', () => {
    expect(rows(NO_FILTERS, { key: 'packets', desc: false })).toEqual([1, 2, 0, 3]);
    expect(rows(NO_FILTERS, { key: 'id', desc: false })).toEqual([0, 1, 2, 3]);
    expect(rows({ ...NO_FILTERS, severity: 'problem' }, { key: 'id', desc: true })).toEqual([3, 1]);
    expect(rows(NO_FILTERS, { key: 'packets', desc: true })).toEqual([3, 0, 2, 1]);
    // 10.0.0.9 sorts before 10.0.0.10 (numeric), IPv4 before others.
    expect(rows(NO_FILTERS, { key: 'client', desc: false })).toEqual([3, 0, 1, 2]);
    expect(rows(NO_FILTERS, { key: 'server', desc: false })).toEqual([0, 1, 3, 2]);
  });

  it('filters by address text, every term must match', () => {
    expect(rows({ ...NO_FILTERS, text: '192.168' })).toEqual([2]);
    expect(rows({ ...NO_FILTERS, text: ':5001 10.0.0.2' })).toEqual([1]);
    expect(rows({ ...NO_FILTERS, text: '2001:DB8' })).toEqual([2]);
    expect(rows({ ...NO_FILTERS, text: 'nothing' })).toEqual([]);
  });

  it('filters by scenario, severity, state, finding and reset time', () => {
    expect(rows({ ...NO_FILTERS, scenario: 'abort' })).toEqual([3]);
    expect(rows({ ...NO_FILTERS, severity: 'normal' })).toEqual([3]);
    expect(rows({ ...NO_FILTERS, severity: 'problem' })).toEqual([1, 3]);
    expect(rows({ ...NO_FILTERS, state: 'REJ' })).toEqual([1]);
    expect(rows({ ...NO_FILTERS, finding: 'f1' })).toEqual([3]);
    expect(rows({ ...NO_FILTERS, timeRange: [1, 2] })).toEqual([1]);
  });
});

describe('filters from a link', () => {
  // A view link is text anyone can craft: ids that name properties of every object must be plain keys.
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a finding, scenario or state named %s matches nothing', (id) => {
    for (const patch of [{ finding: id }, { scenario: id }, { state: id }]) {
      expect(Array.from(selectConnectionRows(list, { ...NO_FILTERS, ...patch }, DEFAULT_SORT)), JSON.stringify(patch)).toEqual([]);
    }
  });

  it('still finds a real finding', () => {
    expect(Array.from(selectConnectionRows(list, { ...NO_FILTERS, finding: 'f1' }, DEFAULT_SORT)).length).toBeGreaterThan(0);
  });
});

describe('sorting many rows', () => {
  it('agrees with a plain comparator sort, both ways, for whole and fractional keys', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const many = Array.from({ length: 600 }, (_, id) =>
      makeConnection(id, { packets: random(20), start: random(50) / 7, end: 10, bytes: { client: random(5) * 2 ** 40, server: random(3) } }),
    );
    const manyList = listOf(many);
    const keys: [SortKey, (c: Connection) => number][] = [
      ['packets', (c) => c.packets],
      ['start', (c) => c.start],
      ['duration', (c) => c.end - c.start],
      ['bytesClient', (c) => c.bytes.client],
      ['bytesServer', (c) => c.bytes.server],
    ];
    for (const [key, value] of keys) {
      for (const desc of [false, true]) {
        const expected = many
          .map((c) => c.id)
          .sort((a, b) => (desc ? -1 : 1) * (value(many[a]!) - value(many[b]!)) || a - b);
        expect([...selectConnectionRows(manyList, NO_FILTERS, { key, desc })], `${key} ${desc ? 'desc' : 'asc'}`).toEqual(expected);
      }
    }
  });
});

describe('endpointMatcher', () => {
  it('finds a term anywhere in "ip:port", as a search of the text would', () => {
    const ips = ['10.0.0.1', '2001:db8::1', '192.168.1.10'];
    const terms = [
      '10', '0.1', ':8', '.1:80', '1:443', '::1:44', ':', '10:', '::', 'db8::1:4', '1:8080', '0.0.0.1:80', '1.10:6553',
      '1:0', ':0', ':00', '1:08', ':65535', ':655350', '65535', '0', '8', '2001:db8::1:0',
    ];
    const ports = [0, 8, 80, 443, 8080, 6553, 65535];
    for (const term of terms) {
      const matches = endpointMatcher(ips, term);
      for (let ip = 0; ip < ips.length; ip++) {
        for (const port of ports) expect(matches(ip, port), `${term} in ${ips[ip]}:${port}`).toBe(`${ips[ip]}:${port}`.includes(term));
      }
    }
  });
});

describe('the filter text is bounded', () => {
  it('agrees with a search of the text for terms up to the longest endpoint', () => {
    const ips = ['::ffff:255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255', '1:2:3:4:5:6:7:8'];
    for (const ip of [0, 1, 2]) {
      const text = `${ips[ip]}:65535`;
      for (const term of [text, text.slice(1), text.slice(0, -1), `${text}5`, `:${text}`]) {
        expect(endpointMatcher(ips, term)(ip, 65535), term).toBe(text.includes(term));
      }
    }
  });

  it('takes at most 16 distinct terms of a text cut at 200 characters', () => {
    expect(filterTerms('  10.0.0.1   :443 10.0.0.1 ')).toEqual(['10.0.0.1', ':443']);
    expect(filterTerms(Array.from({ length: 40 }, (_, i) => `t${i}`).join(' '))).toHaveLength(MAX_FILTER_TERMS);
    expect(filterTerms('x'.repeat(20_000))).toEqual(['x'.repeat(MAX_FILTER_TEXT)]);
  });

  it('turns ports into text at most once per term, however many colons it holds (was 65,536 per colon)', () => {
    const spy = vi.spyOn(globalThis, 'String');
    try {
      for (const term of ['1:2:3:4', '10.0.0.1:80:80:80:80:80:80:80', ':'.repeat(20_000), `${'1:'.repeat(5000)}1`, '1:2']) {
        spy.mockClear();
        endpointMatcher(['10.0.0.1', '1:2:3:4:5:6:7:8'], term);
        expect(spy.mock.calls.length, term.slice(0, 20)).toBeLessThanOrEqual(65536);
      }
      spy.mockClear();
      // A term with more colons than any endpoint has matches nothing and costs nothing.
      const never = endpointMatcher(['10.0.0.1'], ':'.repeat(20_000));
      expect(spy).not.toHaveBeenCalled();
      expect(never(0, 80)).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  it('agrees with a search of the text for any term of address characters', () => {
    const ips = ['10.0.0.1', '2001:db8::1', '::ffff:10.0.0.1', '192.168.1.10'];
    const ports = [0, 1, 8, 80, 443, 1024, 8080, 6553, 65535];
    const term = fc.string({ unit: fc.constantFrom(...'0123456789.:abdf'), maxLength: 14 });
    fc.assert(
      fc.property(term, (t) => {
        const matches = endpointMatcher(ips, t);
        for (let ip = 0; ip < ips.length; ip++) for (const port of ports) if (matches(ip, port) !== `${ips[ip]}:${port}`.includes(t)) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('ports as 1-5 digits: the port ranges a prefix stands for', () => {
    expect(portPrefixRanges('6')).toEqual([[6, 6], [60, 69], [600, 699], [6000, 6999], [60000, 65535]]);
    expect(portPrefixRanges('65536')).toEqual([]);
    expect(portPrefixRanges('0')).toEqual([[0, 0]]);
    expect(portPrefixRanges('08')).toEqual([]);
    expect(portPrefixRanges('123456')).toEqual([]);
    expect(portPrefixRanges('1a')).toEqual([]);
    expect(portPrefixRanges('')).toEqual([[0, 65535]]);
  });
});

describe('connectionScenarioCounts and filterChoices', () => {
  it('lists scenarios by frequency and the choices present', () => {
    expect(connectionScenarioCounts(list, 3)).toEqual([
      { scenario: 'abort', count: 2 },
      { scenario: 'fast-close', count: 1 },
    ]);
    expect(filterChoices(list)).toEqual({ scenarios: ['abort', 'fast-close', 'refused'], states: ['REJ', 'RSTO', 'SF'] });
  });
});

describe('the service column', () => {
  const app = (service: string | null) => ({ protocol: 'tls' as const, service, labels: [], facts: {} });
  const named = listOf([
    makeConnection(0, { app: app('www.example.org') }),
    makeConnection(1),
    makeConnection(2, { app: app('api.example.com') }),
    makeConnection(3, { app: app(null) }),
  ]);

  it('lists the SNI, Host or DNS name of each connection, blank when none', () => {
    expect([0, 1, 2, 3].map((id) => listRow(named, id).service)).toEqual(['www.example.org', '', 'api.example.com', '']);
  });

  it('sorts by it and finds connections by it', () => {
    expect([...selectConnectionRows(named, NO_FILTERS, { key: 'service', desc: false })]).toEqual([1, 3, 2, 0]);
    expect([...selectConnectionRows(named, { ...NO_FILTERS, text: 'EXAMPLE.com' }, DEFAULT_SORT)]).toEqual([2]);
  });
});

describe('the RTT column', () => {
  const rtt = (a: number | null, b: number | null) => ({ handshake: { synToSynAck: a, synAckToAck: b } });
  const timed = listOf([
    makeConnection(0, rtt(0.004, 0.001)),
    makeConnection(1),
    makeConnection(2, rtt(0.0002, 0.0001)),
    makeConnection(3, rtt(0.004, null)),
    makeConnection(4, rtt(1.5, 0.25)),
  ]);

  it('holds the handshake round trip, NaN without a complete handshake', () => {
    expect([0, 1, 2, 3, 4].map((id) => Math.round(listRow(timed, id).rtt * 1e6))).toEqual([5000, Number.NaN, 300, Number.NaN, 1_750_000]);
  });

  it('sorts by it both ways, connections without a handshake last either way', () => {
    expect([...selectConnectionRows(timed, NO_FILTERS, { key: 'rtt', desc: false })]).toEqual([2, 0, 4, 1, 3]);
    expect([...selectConnectionRows(timed, NO_FILTERS, { key: 'rtt', desc: true })]).toEqual([4, 0, 2, 1, 3]);
  });
});
