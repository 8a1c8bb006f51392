/**
 * Each distinct string once: `of(s)` gives its index (the next free one for a new string) and
 * `values[i]` the string. Host addresses, reply lines, Zeek states and histories repeat across
 * thousands of connections; columns hold the index.
 */
export class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(initial: readonly string[] = []) {
    for (const v of initial) this.of(v);
  }

  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}
