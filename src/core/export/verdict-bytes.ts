/**
 * A reset's verdict as `JSON.stringify(verdict, null, 2)` writes it, indented: the report writes
 * one per reset (tens of thousands), and the generic walker spent most of its time finding each
 * object's keys and loading its properties by name. A verdict, its facts and its evidence have a
 * few fixed shapes; an object of one of them is written from key text made once and properties read
 * by name in code. Anything else (another shape, a key stringify would skip) goes through the
 * generic walker, so the output is `JSON.stringify`'s whatever the object.
 */
import type { Evidence, ResetFacts, ResetVerdict } from '../model/types.ts';
import { asciiBytes, type JsonBytes } from './json-bytes.ts';

const VERDICT = ['frame', 'time', 'from', 'flags', 'scenario', 'severity', 'confidence', 'alternatives', 'evidence', 'explanation', 'nextSteps', 'reference', 'findings', 'facts'] as const;
const FACTS = ['sender', 'receiver', 'seq', 'ack', 'seqValidity', 'ttl', 'senderTtl', 'ipId', 'sincePreviousPacket', 'sinceSendersPreviousPacket', 'payloadLength'] as const;
const FACTS_TEXT = [...FACTS, 'payloadText'] as const;
const EVIDENCE_FRAME_FACT_CLAIM = ['frame', 'fact', 'claim'] as const;
const EVIDENCE_FRAME_FACT = ['frame', 'fact'] as const;
const EVIDENCE_FACT = ['fact'] as const;

const OBJECT_PROTO = Object.prototype;

/** `o` is a plain object whose own keys are `keys`, in that order. */
function hasKeys(o: object, keys: readonly string[]): boolean {
  if (Object.getPrototypeOf(o) !== OBJECT_PROTO) return false;
  const own = Object.keys(o);
  if (own.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (own[i] !== keys[i]) return false;
  return true;
}

/** A value `JSON.stringify` writes under its key (it leaves out undefined, functions and symbols). */
function kept(v: unknown): boolean {
  const t = typeof v;
  return t !== 'undefined' && t !== 'function' && t !== 'symbol';
}

/**
 * The text between an object's values at `indent`: `{`, a line break, the indent and the first key;
 * then `,`, a line break and each next key; then the closing brace on its own line.
 */
function piecesOf(keys: readonly string[], indent: number): Uint8Array[] {
  const i = ' '.repeat(indent + 2);
  const out = keys.map((k, n) => asciiBytes(`${n ? ',' : '{'}\n${i}${JSON.stringify(k)}: `));
  out.push(asciiBytes(`\n${' '.repeat(indent)}}`));
  return out;
}

/** Pieces of one shape, by indent. */
class Shape {
  private readonly byIndent = new Map<number, Uint8Array[]>();

  constructor(readonly keys: readonly string[]) {}

  at(indent: number): Uint8Array[] {
    let p = this.byIndent.get(indent);
    if (!p) this.byIndent.set(indent, (p = piecesOf(this.keys, indent)));
    return p;
  }
}

const verdictShape = new Shape(VERDICT);
const factsShape = new Shape(FACTS);
const factsTextShape = new Shape(FACTS_TEXT);
const frameFactClaim = new Shape(EVIDENCE_FRAME_FACT_CLAIM);
const frameFact = new Shape(EVIDENCE_FRAME_FACT);
const factOnly = new Shape(EVIDENCE_FACT);

/** `v` as `JSON.stringify(v, null, 2)` writes it, with `indent` spaces after each line break. */
export function writeVerdict(w: JsonBytes, v: ResetVerdict, indent: number): void {
  const { frame, time, from, flags, scenario, severity, confidence, alternatives, evidence, explanation, nextSteps, reference, findings, facts } = v;
  if (
    !hasKeys(v, VERDICT) ||
    !kept(frame) ||
    !kept(time) ||
    !kept(from) ||
    !kept(flags) ||
    !kept(scenario) ||
    !kept(severity) ||
    !kept(confidence) ||
    !kept(alternatives) ||
    !kept(evidence) ||
    !kept(explanation) ||
    !kept(nextSteps) ||
    !kept(reference) ||
    !kept(findings) ||
    !kept(facts)
  ) {
    w.value(v, indent);
    return;
  }
  const p = verdictShape.at(indent);
  const inner = indent + 2;
  w.raw(p[0]!);
  w.value(frame, inner);
  w.raw(p[1]!);
  w.value(time, inner);
  w.raw(p[2]!);
  w.value(from, inner);
  w.raw(p[3]!);
  w.value(flags, inner);
  w.raw(p[4]!);
  w.value(scenario, inner);
  w.raw(p[5]!);
  w.value(severity, inner);
  w.raw(p[6]!);
  w.value(confidence, inner);
  w.raw(p[7]!);
  w.value(alternatives, inner);
  w.raw(p[8]!);
  writeEvidence(w, evidence, inner);
  w.raw(p[9]!);
  w.value(explanation, inner);
  w.raw(p[10]!);
  w.value(nextSteps, inner);
  w.raw(p[11]!);
  w.value(reference, inner);
  w.raw(p[12]!);
  w.value(findings, inner);
  w.raw(p[13]!);
  writeFacts(w, facts, inner);
  w.raw(p[14]!);
}

function writeFacts(w: JsonBytes, f: ResetFacts, indent: number): void {
  if (typeof f !== 'object' || f === null) {
    w.value(f, indent);
    return;
  }
  const { sender, receiver, seq, ack, seqValidity, ttl, senderTtl, ipId, sincePreviousPacket, sinceSendersPreviousPacket, payloadLength, payloadText } = f;
  const shape = payloadText === undefined ? factsShape : factsTextShape;
  if (
    !hasKeys(f, shape.keys) ||
    !kept(sender) ||
    !kept(receiver) ||
    !kept(seq) ||
    !kept(ack) ||
    !kept(seqValidity) ||
    !kept(ttl) ||
    !kept(senderTtl) ||
    !kept(ipId) ||
    !kept(sincePreviousPacket) ||
    !kept(sinceSendersPreviousPacket) ||
    !kept(payloadLength) ||
    (shape === factsTextShape && !kept(payloadText))
  ) {
    w.value(f, indent);
    return;
  }
  const p = shape.at(indent);
  const inner = indent + 2;
  w.raw(p[0]!);
  w.value(sender, inner);
  w.raw(p[1]!);
  w.value(receiver, inner);
  w.raw(p[2]!);
  w.value(seq, inner);
  w.raw(p[3]!);
  w.value(ack, inner);
  w.raw(p[4]!);
  w.value(seqValidity, inner);
  w.raw(p[5]!);
  w.value(ttl, inner);
  w.raw(p[6]!);
  w.value(senderTtl, inner);
  w.raw(p[7]!);
  w.value(ipId, inner);
  w.raw(p[8]!);
  w.value(sincePreviousPacket, inner);
  w.raw(p[9]!);
  w.value(sinceSendersPreviousPacket, inner);
  w.raw(p[10]!);
  w.value(payloadLength, inner);
  w.raw(p[11]!);
  if (shape === factsTextShape) {
    w.value(payloadText, inner);
    w.raw(p[12]!);
  }
}

const EMPTY_LIST = asciiBytes('[]');

function writeEvidence(w: JsonBytes, list: readonly Evidence[], indent: number): void {
  if (!Array.isArray(list) || Object.getPrototypeOf(list) !== Array.prototype) {
    w.value(list, indent);
    return;
  }
  const n = list.length;
  if (n === 0) {
    w.raw(EMPTY_LIST);
    return;
  }
  const inner = indent + 2;
  for (let i = 0; i < n; i++) {
    w.byte(i ? 0x2c : 0x5b);
    w.newline(inner);
    writeEvidenceItem(w, list[i], inner);
  }
  w.newline(indent);
  w.byte(0x5d);
}

function writeEvidenceItem(w: JsonBytes, e: Evidence | undefined, indent: number): void {
  if (typeof e !== 'object' || e === null) {
    // What stringify writes for a hole or undefined in an array.
    if (!kept(e)) w.value(null, indent);
    else w.value(e, indent);
    return;
  }
  const { frame, fact, claim } = e;
  const shape = claim !== undefined ? frameFactClaim : frame !== undefined ? frameFact : factOnly;
  if (!hasKeys(e, shape.keys) || !kept(fact) || (shape !== factOnly && !kept(frame)) || (shape === frameFactClaim && !kept(claim))) {
    w.value(e, indent);
    return;
  }
  const p = shape.at(indent);
  const inner = indent + 2;
  let k = 0;
  w.raw(p[k++]!);
  if (shape !== factOnly) {
    w.value(frame, inner);
    w.raw(p[k++]!);
  }
  w.value(fact, inner);
  w.raw(p[k++]!);
  if (shape === frameFactClaim) {
    w.value(claim, inner);
    w.raw(p[k++]!);
  }
}
