import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const sourceRoot = resolve(process.cwd(), 'src');

interface ImportEdge {
  /** Paths under src/, with `/` separators. */
  readonly from: string;
  readonly to: string;
}

/**
 * Imports that still go against the layers (docs/architecture.md), each to be removed by the work
 * named. No other import may close a cycle between folders.
 */
const knownBackEdges: readonly ImportEdge[] = [
  // Restoring the shell's history is restore glue that lives in shell/ (issue 8).
  { from: 'shell/restore-panes.ts', to: 'store/pane-histories-file.ts' },
];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Static (`from '…'`) and lazy (`import('…')`) relative imports of every file in src/. */
function importEdges(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const path of sourceFiles(sourceRoot)) {
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(path), match[1]!).replace(/\.js$/, '.ts');
      edges.push({ from: relativeToSource(path), to: relativeToSource(target) });
    }
  }
  return edges;
}

function relativeToSource(path: string): string {
  return relative(sourceRoot, path).split('\\').join('/');
}

/** The first folder under src/; files directly in src/ (errors, human text) are their own. */
function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : path;
}

/** A cycle in the folder graph, as the folders on it (first repeated at the end), or undefined. */
function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (folder: string): string[] | undefined => {
    const index = onPath.indexOf(folder);
    if (index >= 0) return [...onPath.slice(index), folder];
    if (done.has(folder)) return undefined;
    onPath.push(folder);
    for (const next of graph.get(folder) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(folder);
    return undefined;
  };
  for (const folder of graph.keys()) {
    const cycle = visit(folder);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the import graph of src/', () => {
  const edges = importEdges();

  it('reads the imports (a guard against a parser that finds nothing)', () => {
    assert.ok(
      edges.some((edge) => edge.from === 'daemon/daemon-loop.ts' && edge.to === 'daemon/save-policy.ts'),
      'daemon-loop imports the save policy',
    );
    assert.ok(
      edges.some((edge) => edge.from === 'daemon/save-policy.ts' && edge.to === 'restore/plan.ts'),
      'a parent folder import is followed',
    );
  });

  it('has no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const edge of edges) {
      const from = folderOf(edge.from);
      const to = folderOf(edge.to);
      if (from === to) continue;
      if (knownBackEdges.some((known) => known.from === edge.from && known.to === edge.to)) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    const cycle = findCycle(graph);
    assert.equal(cycle, undefined, `folders import each other: ${cycle?.join(' → ')}`);
  });

  it('keeps platform/ below store/, programs/ below restore/ and store/ below import/', () => {
    const forbidden = edges.filter(
      (edge) =>
        (folderOf(edge.from) === 'platform' && folderOf(edge.to) === 'store') ||
        (folderOf(edge.from) === 'programs' && folderOf(edge.to) === 'restore') ||
        (folderOf(edge.from) === 'store' && folderOf(edge.to) === 'import'),
    );
    assert.deepEqual(
      forbidden.map((edge) => `${edge.from} → ${edge.to}`),
      [],
    );
  });
});
