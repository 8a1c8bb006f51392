// @ts-check
/**
 * `local/no-cycle`: no module may reach itself through its relative imports (type-only imports
 * count: a type cycle is still two modules that cannot be understood apart). The import graph is
 * built from the files on disk (the file being linted from its current text), with TypeScript's
 * pre-processor, so comments and strings never count as imports. The first import of the file that
 * leads back to it is reported with the whole path.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Specifiers each file imports, by path, kept while the file's mtime stays the same. */
const cache = new Map();

/** @param {string} text */
function specifiersOf(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.mjs', '/index.ts', '/index.tsx'];

/** The file a relative specifier names, or null (packages, assets, missing files). @param {string} from @param {string} spec */
function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const ext of EXTENSIONS) {
    const path = base + ext;
    if (/\.(c|m)?(t|j)sx?$/.test(path) && existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

/** @param {string} file @returns {string[]} */
function importsOf(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.imports;
  const imports = specifiersOf(readFileSync(file, 'utf8'))
    .map((s) => resolveImport(file, s))
    .filter((p) => p !== null);
  cache.set(file, { mtime, imports });
  return imports;
}

/** A path of files from `start` back to `target`, or null. @param {string} start @param {string} target */
function pathBack(start, target) {
  const seen = new Set();
  /** @type {{ file: string; path: string[] }[]} */
  const queue = [{ file: start, path: [start] }];
  // Breadth first, so the reported path is a shortest one.
  while (queue.length > 0) {
    const { file, path } = /** @type {{ file: string; path: string[] }} */ (queue.shift());
    if (file === target) return path;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of importsOf(file)) if (!seen.has(next)) queue.push({ file: next, path: [...path, next] });
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between modules (type-only imports included).' },
    schema: [],
    messages: { cycle: 'Import cycle: {{path}}.' },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    /** @param {import('estree').Node & { source?: import('estree').Node | null }} node */
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const target = resolveImport(file, source.value);
      if (target === null) return;
      const path = target === file ? [file] : pathBack(target, file);
      if (path === null) return;
      const names = [file, ...path].map((p) => relative(root, p));
      context.report({ node, messageId: 'cycle', data: { path: names.join(' → ') } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'no-cycle': noCycle } };
