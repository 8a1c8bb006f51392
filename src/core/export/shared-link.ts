/**
 * What a shared connection says about where it comes from: one JSON text in the comment of the
 * pcapng Section Header Block (opt_comment, draft-ietf-opsawg-pcapng §4.1), beside a sentence for
 * people. Format (version 1):
 *
 * ```json
 * {"resetscope":"shared-connection","version":1,
 *  "file":"demo.pcap","fingerprint":"a1b2c3d4e5f6.12345","frames":572,"stream":4,"packets":2,
 *  "start":"1700000000.000000000",
 *  "verdicts":[{"frame":42,"scenario":"port-scan","confidence":0.9,
 *               "alternatives":[{"scenario":"refused","confidence":0.85}],
 *               "explanation":"...","evidence":[{"frame":41,"fact":"..."}],"findings":["port-scan-1"],
 *               "facts":{"senderTtl":{"min":63,"max":63,"packets":163},"sincePreviousPacket":0.000037,
 *                        "sinceSendersPreviousPacket":null}}],
 *  "findings":[{"id":"port-scan-1","kind":"port-scan","host":"10.99.1.2","title":"...",
 *               "frames":[42,54],"evidence":[{"fact":"..."}]}],
 *  "omitted":0}
 * ```
 *
 * `frames` counts the frames of the whole capture, `stream` is the connection's tcp.stream there,
 * `packets` the frames in the link; every frame number is the whole capture's. `start` (optional,
 * added within version 1: readers before it ignore it) is the absolute time of the whole capture's
 * first frame, seconds since the epoch with 9 decimals, so the recipient counts times from there. The verdicts are
 * the sender's, computed on the whole capture; a verdict with `textOf` has the explanation and
 * evidence of that earlier one (written once), `repeatOf` marks a repeat of an identical reset;
 * `omitted` counts the verdicts left out to keep the link short. A link is text anyone can write: the parser takes only known keys, bounds every size and
 * drops what does not validate; another version is not read (the caller says so).
 */
import { MAX_ORIGINAL_FRAME, cleanFileName } from '../capture/frame-comments.ts';
import { SCENARIO_IDS } from '../classify/scenarios.ts';
import type { Connection, Finding, Report, ScenarioId } from '../model/types.ts';

export const SHARED_LINK_MARKER = 'shared-connection';
export const SHARED_LINK_VERSION = 1;
/** A comment longer than this is not read as metadata (pcapng options hold at most 65,535 bytes). */
export const MAX_META_TEXT = 48 * 1024;
/**
 * What the writer keeps the metadata under (before gzip, which takes such JSON to a fifth or less),
 * so the packets keep most of a link's 64 KiB.
 */
export const META_BUDGET = 32 * 1024;

const MAX_VERDICTS = 256;
const MAX_FINDINGS = 8;
const MAX_EVIDENCE = 24;
const MAX_ALTERNATIVES = 6;
const MAX_FINDING_FRAMES = 64;
const MAX_TEXT = 1200;
const MAX_FACT = 400;

export interface SharedEvidence {
  frame?: number;
  fact: string;
}

/** One reset as the sender's analysis judged it. */
export interface SharedVerdict {
  frame: number;
  scenario: ScenarioId;
  confidence: number;
  alternatives: { scenario: ScenarioId; confidence: number }[];
  explanation: string;
  evidence: SharedEvidence[];
  findings: string[];
  /** Its explanation and evidence are those of this earlier verdict (written once). */
  textOf?: number;
  /** It repeats the reset of that frame exactly (a run of identical resets). */
  repeatOf?: number;
  /** The reset's facts that depend on the rest of the capture (the frame's own are in the link). */
  facts?: SharedFacts;
}

/** What the sender's whole capture said around the reset: its sender's other packets, the gaps before it. */
export interface SharedFacts {
  senderTtl: { min: number; max: number; packets: number } | null;
  sincePreviousPacket: number | null;
  sinceSendersPreviousPacket: number | null;
}

export interface SharedFinding {
  id: string;
  kind: 'port-scan' | 'overload';
  host: string;
  title: string;
  /** The finding's reset frames in the whole capture (the first MAX_FINDING_FRAMES). */
  frames: number[];
  evidence: SharedEvidence[];
}

export interface SharedLinkMeta {
  version: typeof SHARED_LINK_VERSION;
  /** The name of the capture the connection was shared from. */
  file: string;
  /** That capture's fingerprint (`<12 hex of SHA-256 of the first MiB>.<size>`), when known. */
  fingerprint: string | null;
  /** Frames of that capture. */
  frames: number;
  /** The connection's tcp.stream there. */
  stream: number;
  /** Frames of the connection the link carries. */
  packets: number;
  /** Absolute time of that capture's first frame (`Report.firstTime`), when the sender knew it. */
  start?: string;
  verdicts: SharedVerdict[];
  findings: SharedFinding[];
  /** Verdicts left out for length. */
  omitted: number;
}

/** What a section comment said: not ours (null), our metadata, or ours and unreadable. */
export type SharedLinkRead =
  | { ok: true; meta: SharedLinkMeta }
  | { ok: false; reason: 'version' | 'malformed' | 'too-large'; version?: number };

/** A sentence for people reading the file in Wireshark (Statistics > Capture File Properties). */
export function sharedLinkSentence(meta: Pick<SharedLinkMeta, 'file' | 'frames' | 'stream'>): string {
  return `One connection (tcp.stream ${meta.stream}) shared by Resetscope from ${cleanFileName(meta.file)} (${meta.frames} frames); each packet's comment gives its frame number there.`;
}

/** The metadata as the JSON text of the section's comment. */
export function formatSharedLink(meta: SharedLinkMeta): string {
  return JSON.stringify({ resetscope: SHARED_LINK_MARKER, ...meta });
}

/** Cut to at most `max` characters without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max);
}

function evidenceOf(list: readonly { frame?: number; fact: string }[]): SharedEvidence[] {
  return list.slice(0, MAX_EVIDENCE).map((e) => (e.frame !== undefined ? { frame: e.frame, fact: cut(e.fact, MAX_FACT) } : { fact: cut(e.fact, MAX_FACT) }));
}

/**
 * The metadata of a link to `conn`, from the sender's analysis of the whole capture: its verdicts
 * (as many as fit in META_BUDGET, in frame order) and the host findings they belong to. `frames`
 * is the whole capture's frame count (default `report.packets`; a shared capture shared again gives
 * its origin's, as it gives its origin's `stream` (default the connection's id) and `start`).
 */
export function sharedLinkOf(
  report: Pick<Report, 'packets' | 'findings'>,
  conn: Pick<Connection, 'id' | 'resets'>,
  options: { file: string; fingerprint: string | null; packets: number; frames?: number; stream?: number; start?: string | null },
): SharedLinkMeta {
  const meta: SharedLinkMeta = {
    version: SHARED_LINK_VERSION,
    file: cleanFileName(options.file),
    fingerprint: options.fingerprint,
    frames: options.frames ?? report.packets,
    stream: options.stream ?? conn.id,
    packets: options.packets,
    ...(options.start && isStart(options.start) ? { start: options.start } : {}),
    verdicts: [],
    findings: [],
    omitted: 0,
  };
  const ids = new Set(conn.resets.flatMap((v) => v.findings));
  meta.findings = report.findings
    .filter((f: Finding) => ids.has(f.id))
    .slice(0, MAX_FINDINGS)
    .map((f) => ({ id: f.id, kind: f.kind, host: f.host, title: cut(f.title, MAX_FACT), frames: f.frames.slice(0, MAX_FINDING_FRAMES), evidence: evidenceOf(f.evidence.slice(0, 4)) }));
  let size = formatSharedLink(meta).length;
  /** The first carried frame of each explanation and evidence (resets of a run share them). */
  const texts = new Map<string, number>();
  for (const v of conn.resets) {
    const explanation = cut(v.explanation, MAX_TEXT);
    const evidence = evidenceOf(v.evidence);
    const key = `${explanation}\u0000${JSON.stringify(evidence)}`;
    const same = texts.get(key);
    const entry: SharedVerdict = {
      frame: v.frame,
      scenario: v.scenario,
      confidence: v.confidence,
      alternatives: v.alternatives.slice(0, MAX_ALTERNATIVES),
      explanation: same === undefined ? explanation : '',
      evidence: same === undefined ? evidence : [],
      findings: v.findings.slice(0, MAX_FINDINGS),
      ...(same !== undefined ? { textOf: same } : {}),
      ...(v.repeatOf !== undefined ? { repeatOf: v.repeatOf } : {}),
      facts: { senderTtl: v.facts.senderTtl, sincePreviousPacket: v.facts.sincePreviousPacket, sinceSendersPreviousPacket: v.facts.sinceSendersPreviousPacket },
    };
    const grow = JSON.stringify(entry).length + 1;
    if (meta.verdicts.length >= MAX_VERDICTS || size + grow > META_BUDGET) {
      meta.omitted++;
      continue;
    }
    if (same === undefined) texts.set(key, v.frame);
    meta.verdicts.push(entry);
    size += grow;
  }
  return meta;
}

/**
 * A capture's start as `Report.firstTime` writes it: whole seconds (at most 12 digits, so the value
 * stays an exact integer) and 9 decimals.
 */
export const isStart = (v: unknown): v is string => typeof v === 'string' && /^\d{1,12}\.\d{9}$/.test(v);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFrame = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_ORIGINAL_FRAME;
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_ORIGINAL_FRAME;
const isConfidence = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
const SCENARIO_SET: ReadonlySet<string> = new Set(SCENARIO_IDS);
const isScenario = (v: unknown): v is ScenarioId => typeof v === 'string' && SCENARIO_SET.has(v);
const text = (v: unknown, max: number): string | null => (typeof v === 'string' ? cut(v, max) : null);
const list = (v: unknown, max: number): unknown[] => (Array.isArray(v) ? v.slice(0, max) : []);
/** A finding id as the classifier writes them ("port-scan-1"), nothing else. */
const isFindingId = (v: unknown): v is string => typeof v === 'string' && /^[a-z-]{1,32}-\d{1,6}$/.test(v);

function parseEvidence(v: unknown): SharedEvidence[] {
  const out: SharedEvidence[] = [];
  for (const e of list(v, MAX_EVIDENCE)) {
    if (!isObject(e)) continue;
    const fact = text(e.fact, MAX_FACT);
    if (fact === null) continue;
    out.push(isFrame(e.frame) ? { frame: e.frame, fact } : { fact });
  }
  return out;
}

const isSeconds = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e9;
const seconds = (v: unknown): number | null => (isSeconds(v) ? v : null);
const isTtl = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;

function parseFacts(v: unknown): SharedFacts | null {
  if (!isObject(v)) return null;
  const t = v.senderTtl;
  const senderTtl = isObject(t) && isTtl(t.min) && isTtl(t.max) && t.min <= t.max && isCount(t.packets) ? { min: t.min, max: t.max, packets: t.packets } : null;
  return { senderTtl, sincePreviousPacket: seconds(v.sincePreviousPacket), sinceSendersPreviousPacket: seconds(v.sinceSendersPreviousPacket) };
}

function parseVerdict(v: unknown): SharedVerdict | null {
  if (!isObject(v) || !isFrame(v.frame) || !isScenario(v.scenario) || !isConfidence(v.confidence)) return null;
  const alternatives = list(v.alternatives, MAX_ALTERNATIVES).flatMap((a) =>
    isObject(a) && isScenario(a.scenario) && isConfidence(a.confidence) ? [{ scenario: a.scenario, confidence: a.confidence }] : [],
  );
  const verdict: SharedVerdict = {
    frame: v.frame,
    scenario: v.scenario,
    confidence: v.confidence,
    alternatives,
    explanation: text(v.explanation, MAX_TEXT) ?? '',
    evidence: parseEvidence(v.evidence),
    findings: list(v.findings, MAX_FINDINGS).filter(isFindingId),
  };
  if (isFrame(v.textOf) && v.textOf < v.frame) verdict.textOf = v.textOf;
  if (isFrame(v.repeatOf) && v.repeatOf < v.frame) verdict.repeatOf = v.repeatOf;
  const facts = parseFacts(v.facts);
  if (facts) verdict.facts = facts;
  return verdict;
}

function parseFinding(v: unknown): SharedFinding | null {
  if (!isObject(v) || !isFindingId(v.id) || (v.kind !== 'port-scan' && v.kind !== 'overload')) return null;
  const host = text(v.host, 64);
  const title = text(v.title, MAX_FACT);
  if (host === null || title === null) return null;
  return { id: v.id, kind: v.kind, host, title, frames: list(v.frames, MAX_FINDING_FRAMES).filter(isFrame), evidence: parseEvidence(v.evidence) };
}

/**
 * Read a section comment: null when it is not Resetscope's metadata; otherwise the metadata, or why
 * it cannot be used (another version, malformed, too long). Entries that do not validate are dropped
 * one by one; the whole is refused only when its frame of reference (file, frames) is unusable.
 */
export function parseSharedLink(comment: string): SharedLinkRead | null {
  // Cheap test first: a section comment of any other tool is left alone without parsing.
  if (!comment.trimStart().startsWith('{') || !comment.includes(`"${SHARED_LINK_MARKER}"`)) return null;
  if (comment.length > MAX_META_TEXT) return { ok: false, reason: 'too-large' };
  let raw: unknown;
  try {
    raw = JSON.parse(comment);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isObject(raw) || raw.resetscope !== SHARED_LINK_MARKER) return null;
  if (raw.version !== SHARED_LINK_VERSION) {
    return Number.isInteger(raw.version) ? { ok: false, reason: 'version', version: raw.version as number } : { ok: false, reason: 'malformed' };
  }
  const file = typeof raw.file === 'string' ? cleanFileName(raw.file) : '';
  if (file === '' || !isCount(raw.frames) || !isCount(raw.stream)) return { ok: false, reason: 'malformed' };
  const fingerprint = typeof raw.fingerprint === 'string' && /^[0-9a-f]{12}\.\d{1,16}$/.test(raw.fingerprint) ? raw.fingerprint : null;
  const verdicts: SharedVerdict[] = [];
  const seen = new Set<number>();
  for (const v of list(raw.verdicts, MAX_VERDICTS)) {
    const verdict = parseVerdict(v);
    // One verdict per frame: the first.
    if (verdict && !seen.has(verdict.frame)) {
      seen.add(verdict.frame);
      verdicts.push(verdict);
    }
  }
  verdicts.sort((a, b) => a.frame - b.frame);
  const findings: SharedFinding[] = [];
  for (const f of list(raw.findings, MAX_FINDINGS)) {
    const finding = parseFinding(f);
    if (finding && !findings.some((g) => g.id === finding.id)) findings.push(finding);
  }
  return {
    ok: true,
    meta: {
      version: SHARED_LINK_VERSION,
      file,
      fingerprint,
      frames: raw.frames,
      stream: raw.stream,
      packets: isCount(raw.packets) ? raw.packets : 0,
      ...(isStart(raw.start) ? { start: raw.start } : {}),
      verdicts,
      findings,
      omitted: isCount(raw.omitted) ? raw.omitted : 0,
    },
  };
}
