// Writes docs/options.md from the settings table in src/settings/ (the unit test
// test/unit/settings/options-document.test.ts fails while the two disagree). Run: node scripts/generate-options-doc.mjs

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const directory = await mkdtemp(join(tmpdir(), 'continuum-options-doc-'));
try {
  const bundle = join(directory, 'options-document.mjs');
  await build({
    entryPoints: ['src/settings/options-document.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: bundle,
    logLevel: 'warning',
  });
  const { optionsDocument } = await import(pathToFileURL(bundle).href);
  await writeFile('docs/options.md', optionsDocument());
} finally {
  await rm(directory, { recursive: true, force: true });
}
