import type { RepeatedResets } from '../model/repeated-resets.ts';
import type { ResetVerdict } from '../model/types.ts';

/**
 * The classifier's verdicts by connection id (frame order within a connection); connections
 * without a RST have no entry. The classifier owns it; the connection table reads from it.
 */
export type VerdictMap = Map<number, ResetVerdict[]>;

/**
 * The resets of each connection that repeat one of its verdicts (long runs of identical resets,
 * classify/repeats.ts), as columns; connections without such a run have no entry.
 */
export type RepeatMap = Map<number, RepeatedResets>;
