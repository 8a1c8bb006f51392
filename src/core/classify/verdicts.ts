import type { ResetVerdict } from '../model/types.ts';

/**
 * The classifier's verdicts by connection id (frame order within a connection); connections
 * without a RST have no entry. The classifier owns it; the connection table reads from it.
 */
export type VerdictMap = Map<number, ResetVerdict[]>;
