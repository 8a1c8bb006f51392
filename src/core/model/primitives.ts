/**
 * The smallest words of the model, in a module that imports nothing, so the report's types and the
 * application context's types can both use them without importing each other.
 */

/** A 1-based frame number, as Wireshark numbers frames. */
export type FrameNumber = number;

export type Side = 'client' | 'server';
