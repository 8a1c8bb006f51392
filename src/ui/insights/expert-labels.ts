/** The expert list's words on screen: kind titles and severities, from the core's table. */
import { EXPERT_KINDS, type ExpertKind, type ExpertSeverity } from '../../core/expert/expert.ts';

const BY_ID = new Map<string, (typeof EXPERT_KINDS)[number]>(EXPERT_KINDS.map((k) => [k.id, k]));

export function expertTitle(kind: ExpertKind): string {
  return BY_ID.get(kind)?.title ?? kind;
}

export function expertSeverity(kind: ExpertKind): ExpertSeverity {
  return BY_ID.get(kind)?.severity ?? 'note';
}

/** Wireshark's names for the severities. */
export const SEVERITY_LABEL: Record<ExpertSeverity, string> = { error: 'Error', warning: 'Warning', note: 'Note', chat: 'Chat' };

/** The display filter that finds a kind in Wireshark, when it has one. */
export function expertField(kind: ExpertKind): string | null {
  return BY_ID.get(kind)?.field ?? null;
}
