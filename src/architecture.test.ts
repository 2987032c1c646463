// The import rules the codebase keeps (DESIGN.md): no cycles between src/ folders; services never import UI (React
// components in .tsx files, or anything under ui/); test hooks enter only at the composition root; dsp/ stays
// DOM-free and self-contained. Read from the sources.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** Every relative import of each source (static, dynamic, `new URL(…, import.meta.url)`), as paths under src/. */
function imports(): { from: string; to: string }[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bnew URL\(\s*)['"](\.{1,2}\/[^'"?]+)/g;
  return sources(SRC).flatMap((file) => {
    const from = relative(SRC, file);
    return [...readFileSync(file, 'utf8').matchAll(re)].map((m) => ({
      from,
      to: normalize(join(dirname(from), m[1]!)),
    }));
  });
}

const folderOf = (path: string): string => (path.includes('/') ? path.split('/')[0]! : '(root)');
const isUi = (path: string): boolean => path.startsWith('ui/') || path.endsWith('.tsx');

describe('architecture', () => {
  const all = imports();

  it('reads the imports (the rules below are not vacuous)', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all.some((e) => e.from === 'app/pipeline.ts' && e.to === 'audio/features.ts')).toBe(true);
  });

  it('has no cycles between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const { from, to } of all) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
    // Depth-first search; a back edge closes a cycle, reported as the folder path.
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (v: string) => {
      state.set(v, 'open');
      stack.push(v);
      for (const w of edges.get(v) ?? []) {
        if (state.get(w) === 'open') cycles.push([...stack.slice(stack.indexOf(w)), w].join(' → '));
        else if (!state.has(w)) visit(w);
      }
      stack.pop();
      state.set(v, 'done');
    };
    for (const v of edges.keys()) if (!state.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });

  it('services never import UI', () => {
    const bad = all
      .filter((e) => !isUi(e.from) && e.from !== 'main.tsx' && isUi(e.to))
      .map((e) => `${e.from} → ${e.to}`);
    expect(bad).toEqual([]);
  });

  it('only the composition root (main.tsx) imports the test hooks in devtools/, behind lib/devtools.ts DEVTOOLS', () => {
    expect(
      all
        .filter((e) => e.to.startsWith('devtools/') && !e.from.startsWith('devtools/') && e.from !== 'main.tsx')
        .map((e) => `${e.from} → ${e.to}`),
    ).toEqual([]);
  });

  it('dsp/ imports only dsp/', () => {
    expect(
      all.filter((e) => e.from.startsWith('dsp/') && !e.to.startsWith('dsp/')).map((e) => `${e.from} → ${e.to}`),
    ).toEqual([]);
  });
});
