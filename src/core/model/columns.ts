/**
 * Growable typed-array columns: one array per field, all of the same length, grown together.
 * The packet table and the tracker's per-connection state are both made of these, so a million rows
 * are a million indices into a few arrays, never a million objects.
 */
export type TypedColumn =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float64Array;

type ColumnCtor = { new (n: number): TypedColumn };

/** Field name → array type, e.g. `{ frame: Uint32Array, timeNs: Float64Array }`. */
export type ColumnSchema = Record<string, ColumnCtor>;

/** The columns a schema describes. */
export type ColumnsOf<S extends ColumnSchema> = { [K in keyof S]: InstanceType<S[K]> };

/**
 * The columns are made with `Object.fromEntries`, not by assigning computed keys one by one: an
 * object given more than a dozen properties that way turns into a hash table in V8, and every
 * `cols.field[i]` on the hot path becomes a look-up in it.
 */
export function allocateColumns<S extends ColumnSchema>(schema: S, n: number): ColumnsOf<S> {
  return Object.fromEntries(Object.keys(schema).map((key) => [key, new schema[key]!(n)])) as ColumnsOf<S>;
}

/** New columns of `capacity` rows holding a copy of the first rows of `cols`. */
export function grownColumns<S extends ColumnSchema>(schema: S, cols: ColumnsOf<S>, capacity: number): ColumnsOf<S> {
  return Object.fromEntries(Object.keys(schema).map((key) => [key, resized(cols[key] as TypedColumn, capacity)])) as ColumnsOf<S>;
}

/**
 * A new array of the same type and `size` elements holding a copy of the first `used` elements of
 * `from` (by default as many as fit): how every growable array here grows (or is trimmed).
 */
export function resized<T extends TypedColumn>(from: T, size: number, used = Math.min(from.length, size)): T {
  const next = new (from.constructor as new (n: number) => T)(size);
  next.set(used === from.length ? from : from.subarray(0, used));
  return next;
}
