import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

/** What `npm pack` would put in the package, from the dist/ that `npm test` has just built. */
function packedFiles(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout) => {
        if (error) {
          reject(error);
          return;
        }
        const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
        resolve(pack!.files.map((file) => file.path).sort());
      },
    );
  });
}

describe('the npm package', () => {
  it('ships what runs and the licences of what it bundles, nothing of the development tools', async () => {
    const files = await packedFiles();
    const unexpected = files.filter(
      (path) =>
        !/^dist\/chunks\/[\w-]+\.js$/.test(path) &&
        ![
          'dist/continuum.js',
          'dist/THIRD-PARTY-LICENSES.txt',
          'continuum.tmux',
          'plugin.conf',
          'README.md',
          'LICENSE',
          'package.json',
        ].includes(path),
    );
    assert.deepEqual(unexpected, []);
    for (const required of [
      'dist/continuum.js',
      'dist/THIRD-PARTY-LICENSES.txt',
      'LICENSE',
      'continuum.tmux',
    ])
      assert.ok(files.includes(required), `${required} is missing from ${files.join(', ')}`);
    // The two runtime libraries the CLI is built from travel with their licence texts.
    const licences = await readFile('dist/THIRD-PARTY-LICENSES.txt', 'utf8');
    for (const bundled of ['commander', 'valibot']) {
      assert.match(
        licences,
        new RegExp(
          `^${bundled}@\\d+\\.\\d+\\.\\d+ \\(MIT\\)\\n\\n.*(Permission is hereby granted|MIT License)`,
          'ms',
        ),
      );
    }
  });
});
