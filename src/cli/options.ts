/** Options of the subcommands: `--name value`, `--name=value` or flags; the rest is positional. */
export interface Parsed {
  values: Record<string, string | undefined>;
  flags: Set<string>;
  positional: string[];
  help: boolean;
  error: string | null;
}

export function parseOptions(argv: string[], spec: Record<string, 'value' | 'flag'>): Parsed {
  const parsed: Parsed = { values: {}, flags: new Set(), positional: [], help: false, error: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      parsed.help = true;
      continue;
    }
    if (!a.startsWith('--')) {
      parsed.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) {
      parsed.error ??= `unknown option ${a}`;
      continue;
    }
    if (kind === 'flag') {
      parsed.flags.add(name);
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) parsed.error ??= `${a} needs a value`;
    else parsed.values[name] = value;
  }
  return parsed;
}
