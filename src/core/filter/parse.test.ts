import { describe, expect, it } from 'vitest';
import { backtrackingRisk, formatFilterError, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_PATTERN_LENGTH, parseFilter, type FilterExpr } from './parse.ts';

/** The tree as a readable line: fields, ops and values, fully parenthesised. */
function show(e: FilterExpr): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${show(e.left)} ${e.kind} ${show(e.right)})`;
    case 'not':
      return `not ${show(e.expr)}`;
    case 'exists':
      return e.field.name;
    case 'compare':
      return `${e.field.name} ${e.op} ${value(e.value)}`;
    case 'in':
      return `${e.field.name} in {${e.values.map(value).join(' ')}}`;
  }
}

function value(v: Extract<FilterExpr, { kind: 'compare' }>['value']): string {
  switch (v.kind) {
    case 'address':
      return `${[...v.block.words].map((w) => w.toString(16)).join(':')}/${v.block.bits}`;
    case 'number':
      return String(v.value);
    case 'range':
      return `${v.low}..${v.high}`;
    case 'text':
      return JSON.stringify(v.value);
    case 'regex':
      return `/${v.value.source}/`;
  }
}

function tree(input: string): string {
  const r = parseFilter(input);
  if (!r.ok) throw new Error(`${input}: ${r.error.message} at ${r.error.offset}`);
  return show(r.expr);
}

function error(input: string): { at: string; message: string } {
  const r = parseFilter(input);
  if (r.ok) throw new Error(`${input} parsed as ${show(r.expr)}`);
  return { at: input.slice(r.error.offset, r.error.offset + r.error.length), message: r.error.message };
}

describe('parseFilter', () => {
  it('reads the comparison operators in symbols and words', () => {
    expect(tree('tcp.port == 80')).toBe('tcp.port any_eq 80');
    expect(tree('tcp.port==80')).toBe('tcp.port any_eq 80');
    expect(tree('tcp.port eq 80')).toBe('tcp.port any_eq 80');
    expect(tree('tcp.port != 80')).toBe('tcp.port all_ne 80');
    expect(tree('tcp.port ne 80')).toBe('tcp.port all_ne 80');
    expect(tree('tcp.port !== 80')).toBe('tcp.port any_ne 80');
    expect(tree('tcp.port === 80')).toBe('tcp.port all_eq 80');
    expect(tree('conn.packets < 3')).toBe('conn.packets lt 3');
    expect(tree('conn.packets lt 3')).toBe('conn.packets lt 3');
    expect(tree('conn.packets > 3')).toBe('conn.packets gt 3');
    expect(tree('conn.packets gt 3')).toBe('conn.packets gt 3');
    expect(tree('conn.packets <= 3')).toBe('conn.packets le 3');
    expect(tree('conn.packets le 3')).toBe('conn.packets le 3');
    expect(tree('conn.packets >= 3')).toBe('conn.packets ge 3');
    expect(tree('conn.packets GE 3')).toBe('conn.packets ge 3');
    expect(tree('conn.duration > 1.5')).toBe('conn.duration gt 1.5');
    expect(tree('tcp.stream == 0x10')).toBe('tcp.stream any_eq 16');
  });

  it('gives and precedence over or, and not binds tightest', () => {
    expect(tree('tcp.port == 1 or tcp.port == 2 and tcp.port == 3')).toBe('(tcp.port any_eq 1 or (tcp.port any_eq 2 and tcp.port any_eq 3))');
    expect(tree('(tcp.port == 1 || tcp.port == 2) && tcp.port == 3')).toBe('((tcp.port any_eq 1 or tcp.port any_eq 2) and tcp.port any_eq 3)');
    expect(tree('!tcp.port == 1 and not tcp.port == 2')).toBe('(not tcp.port any_eq 1 and not tcp.port any_eq 2)');
    expect(tree('not (tcp.port == 1 or ip)')).toBe('not (tcp.port any_eq 1 or ip)');
    expect(tree('tcp.port == 1 AND tcp.port == 2 OR tcp')).toBe('((tcp.port any_eq 1 and tcp.port any_eq 2) or tcp)');
  });

  it('reads addresses, CIDR blocks and IPv6 forms', () => {
    expect(tree('ip.addr == 10.99.2.1')).toBe('ip.addr any_eq a63:201/32');
    expect(tree('ip.src == 10.99.2.0/24')).toBe('ip.src any_eq a63:200/24');
    expect(tree('ipv6.addr == 2001:db8::1')).toBe('ipv6.addr any_eq 2001:db8:0:0:0:0:0:1/128');
    expect(tree('ipv6.addr == fe80::/10')).toBe('ipv6.addr any_eq fe80:0:0:0:0:0:0:0/10');
    expect(tree('ipv6.addr == ::ffff:10.0.0.1')).toBe('ipv6.addr any_eq 0:0:0:0:0:ffff:a00:1/128');
  });

  it('reads sets with ranges, commas and spaces', () => {
    expect(tree('tcp.port in {80 443 8000..8004}')).toBe('tcp.port in {80 443 8000..8004}');
    expect(tree('tcp.port in {80, 443,8080}')).toBe('tcp.port in {80 443 8080}');
    expect(tree('tcp.port in {8000 .. 8004}')).toBe('tcp.port in {8000..8004}');
    expect(tree('ip.addr in {10.0.0.1 10.1.0.0/16}')).toBe('ip.addr in {a00:1/32 a01:0/16}');
    expect(tree('rst.scenario in {refused "fast-close"}')).toBe('rst.scenario in {"refused" "fast-close"}');
  });

  it('reads our own fields, canonicalising closed sets of values', () => {
    expect(tree('rst.scenario == Refused')).toBe('rst.scenario any_eq "refused"');
    expect(tree('rst.severity == suspicious')).toBe('rst.severity any_eq "suspicious"');
    expect(tree('conn.state == rsto')).toBe('conn.state any_eq "RSTO"');
    expect(tree('conn.history contains "R"')).toBe('conn.history contains "R"');
    expect(tree('conn.history matches "^Sh"')).toBe('conn.history matches /^Sh/');
    expect(tree('conn.service == HTTP')).toBe('conn.service any_eq "http"');
    expect(tree('conn.rtt')).toBe('conn.rtt');
    expect(tree('tcp.flags.reset == 1 and tcp.flags.reset != false')).toBe('(tcp.flags.reset any_eq 1 and tcp.flags.reset all_ne 0)');
  });

  it('points at the token that is wrong', () => {
    expect(error('tcp.prot == 80')).toEqual({ at: 'tcp.prot', message: 'unknown field "tcp.prot" (did you mean tcp.port?)' });
    expect(error('tcp.port == http')).toEqual({ at: 'http', message: '"http" is not a port number' });
    expect(error('tcp.port == 70000')).toEqual({ at: '70000', message: '70000 is not a port number (0 to 65535)' });
    expect(error('ip.addr == 10.0.0.256')).toMatchObject({ at: '10.0.0.256' });
    expect(error('ip.addr == ::1')).toEqual({ at: '::1', message: '"::1" is an IPv6 address: use ipv6.addr' });
    expect(error('tcp.port = 80')).toEqual({ at: '=', message: 'unexpected character "=" (compare with ==)' });
    expect(error('tcp.port == 80 & ip')).toMatchObject({ at: '&' });
    expect(error('(tcp.port == 80')).toEqual({ at: '(', message: 'this ( is never closed' });
    expect(error('tcp.port == 80)')).toEqual({ at: ')', message: 'this ) closes no (' });
    expect(error('tcp.port ==')).toMatchObject({ message: 'expected a value for tcp.port at the end' });
    expect(error('tcp.port == 80 tcp.port')).toMatchObject({ at: 'tcp.port', message: 'expected "and", "or" or the end, found "tcp.port"' });
    expect(error('rst.scenario == refsued')).toEqual({ at: 'refsued', message: '"refsued" is not a rst.scenario value (did you mean refused?)' });
    expect(error('conn.state > SF')).toMatchObject({ at: '>' });
    expect(error('conn.bytes contains "x"')).toMatchObject({ at: 'contains' });
    expect(error('tcp.port in {80')).toMatchObject({ at: '{', message: 'this { is never closed' });
    expect(error('tcp.port in {}')).toMatchObject({ at: '{' });
    expect(error('tcp.port in {90..80}')).toMatchObject({ at: '90..80' });
    expect(error('conn.history == "R')).toEqual({ at: '"R', message: 'this string has no closing "' });
    expect(error('tcp == 1')).toMatchObject({ at: '==' });
    expect(error('ip.src < 10.0.0.0/8')).toMatchObject({ at: '10.0.0.0/8' });
    expect(error('')).toMatchObject({ message: 'the filter is empty' });
    expect(error('conn.history matches "("')).toMatchObject({ message: 'not a valid regular expression' });
  });

  it('refuses patterns that can backtrack for ever, and runs the rest', () => {
    for (const p of ['^(a+)+$', '(a|aa)*', '(x*y?)+z', '((ab)*)*', '(a+){2,}', '(.*a){3}', '(?:a+)+']) {
      expect(error(`conn.name matches "${p}"`).message, p).toMatch(/exponential time|backreferences/);
    }
    expect(error(`conn.name matches "${'a'.repeat(MAX_PATTERN_LENGTH + 1)}"`).message).toContain(`at most ${MAX_PATTERN_LENGTH}`);
    for (const p of ['^Sh', '(ab)+', 'a+b*', '[(+)]+', '(?:www.)?example.com$', '(a|b)?c']) {
      expect(parseFilter(`conn.name matches "${p}"`).ok, p).toBe(true);
    }
    // The classic: on a 30-character name, the refused pattern would run for minutes.
    const r = parseFilter('conn.name matches "^(a+)+$"');
    expect(r.ok).toBe(false);
    expect(backtrackingRisk('^(a+)+$')).not.toBeNull();
    // As the pattern reaches the check, after the filter's own string escapes.
    expect(backtrackingRisk(String.raw`(a)\1`)).toContain('backreferences');
    expect(backtrackingRisk(String.raw`\(a+\)+`)).toBeNull();
    expect(backtrackingRisk(String.raw`(\w+\.)+com`)).not.toBeNull();
  });

  it('bounds the input: its length and its nesting', () => {
    const long = `tcp.port == 80${' or tcp.port == 80'.repeat(200)}`;
    expect(long.length).toBeGreaterThan(MAX_FILTER_LENGTH);
    expect(parseFilter(long)).toMatchObject({ ok: false, error: { offset: MAX_FILTER_LENGTH } });
    const deep = `${'('.repeat(MAX_FILTER_DEPTH + 1)}tcp${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
    expect(parseFilter(deep)).toMatchObject({ ok: false, error: { offset: MAX_FILTER_DEPTH, message: `more than ${MAX_FILTER_DEPTH} nested groups or nots` } });
    expect(parseFilter(`${'!'.repeat(MAX_FILTER_DEPTH)}tcp`).ok).toBe(true);
    expect(parseFilter(`${'!'.repeat(MAX_FILTER_DEPTH + 1)}tcp`).ok).toBe(false);
  });

  it('formats an error with a caret under the token', () => {
    const input = 'tcp.port == http';
    const r = parseFilter(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatFilterError(input, r.error)).toBe('tcp.port == http\n            ^^^^ "http" is not a port number');
  });
});
