import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import local from './no-cycle.js';

/** The repository's own lint configuration, run on a real file with a line added. */
const root = resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function lintWith(file: string, extra: string): Promise<Linter.LintMessage[]> {
  const text = `${extra}\n${readFileSync(join(root, file), 'utf8')}`;
  const [result] = await eslint.lintText(text, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.severity === 2);
}

const rules = (messages: Linter.LintMessage[]) => messages.map((m) => m.ruleId);

describe('the layering and cycle rules of eslint.config.js', () => {
  it('pass the files as they are', async () => {
    for (const file of ['src/worker/protocol.ts', 'src/state/store.ts', 'src/ui/links/hash-params.ts']) {
      expect(await lintWith(file, ''), file).toEqual([]);
    }
  });

  it('fail on a reintroduced cycle: the protocol importing the client that imports it', async () => {
    const messages = await lintWith('src/worker/protocol.ts', "export { createWorkerEngine } from './analysis-client.ts';");
    expect(rules(messages)).toEqual(['local/no-cycle']);
    expect(messages[0]!.message).toContain('src/worker/protocol.ts → src/worker/analysis-client.ts → src/worker/protocol.ts');
  });

  it('fail on a slice importing the store that composes it', async () => {
    const messages = await lintWith('src/state/view-slice.ts', "export type { AppState } from './store.ts';");
    expect(rules(messages)).toEqual(['local/no-cycle']);
  });

  it('fail when the worker imports the store', async () => {
    expect(rules(await lintWith('src/worker/analysis.worker.ts', "import { appStore } from '../state/store.ts';"))).toContain(
      'no-restricted-imports',
    );
  });

  it('fail when the store imports a view', async () => {
    expect(rules(await lintWith('src/state/selectors.ts', "import { App } from '../ui/app/App.tsx';"))).toContain('no-restricted-imports');
  });

  it('fail when the core imports an app layer', async () => {
    expect(rules(await lintWith('src/core/model/list-columns.ts', "import type { AppState } from '../../state/store.ts';"))).toContain(
      'no-restricted-imports',
    );
  });
});

describe('local/no-cycle on files on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'no-cycle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const linter = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser as Linter.Parser },
        plugins: { local },
        rules: { 'local/no-cycle': 'error' },
      },
    ],
  });
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  it('finds a cycle three modules long, through a type-only import, and says the path', async () => {
    write('a.ts', "import { b } from './b.ts';\nexport const a = b + 1;\n");
    write('b.ts', "import type { C } from './c';\nexport const b: C = 1;\n");
    write('c.ts', "import './a.ts';\nexport type C = number;\n");
    const [result] = await linter.lintFiles(['a.ts']);
    expect(result!.messages.map((m) => m.message)).toEqual(['Import cycle: a.ts → b.ts → c.ts → a.ts.']);
  });

  it('passes the same modules once the cycle is cut, and ignores imports in comments', async () => {
    write('c.ts', "// import './a.ts';\nexport type C = number;\n");
    const results = await linter.lintFiles(['a.ts', 'b.ts', 'c.ts']);
    expect(results.flatMap((r) => r.messages)).toEqual([]);
  });
});
