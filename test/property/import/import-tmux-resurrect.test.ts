import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ContinuumError } from '../../../src/errors.js';
import {
  convertTmuxResurrectSave,
  TmuxResurrectImportProblem,
} from '../../../src/import/import-tmux-resurrect.js';
import { readTarGz, TarArchiveProblem } from '../../../src/import/tar-archive.js';
import { namedServerIdentity } from '../../../src/server/server-identity.js';
import { validateSnapshot } from '../../../src/snapshot/schema.js';
import { readSaveFile, SaveStore } from '../../../src/store/save-store.js';
import { sampleSave } from '../../support/tmux-resurrect-saves.js';

const options = { savedAt: new Date(2026, 0, 2, 3, 4, 5), socketPath: '/tmp/tmux-1000/default' };
const sample = Buffer.from(sampleSave({ spaced: '/a b', plain: '/tmp' }), 'utf8');

/** The importer's contract: a valid snapshot, or a TmuxResurrectImportProblem; nothing else escapes. */
function convertOrProblem(bytes: Uint8Array): ReturnType<typeof convertTmuxResurrectSave> | undefined {
  try {
    const result = convertTmuxResurrectSave(bytes, options);
    const validation = validateSnapshot(JSON.parse(JSON.stringify(result.snapshot)));
    assert.ok(validation.ok, validation.ok ? '' : validation.problem);
    assert.ok(result.snapshot.sessions.length > 0);
    return result;
  } catch (error) {
    assert.ok(error instanceof TmuxResurrectImportProblem, `unexpected ${String(error)}`);
    assert.notEqual(error.message, '');
    return undefined;
  }
}

/** Fields near save.sh's: its line types, numbers, `:`-prefixed text, tabs and backslashes. */
const field = fc.oneof(
  fc.constantFrom('pane', 'window', 'state', 'grouped_session', '0', '1', ':', ':*Z', ':-', 'on', ':/tmp'),
  fc.constantFrom('b25d,80x24,0,0,0', 'garbage', '\\', '\\\t', ':a\\ b'),
  fc.nat(3).map(String),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const line = fc.array(field, { minLength: 1, maxLength: 12 }).map((fields) => fields.join('\t'));
const saveText = fc.array(line, { maxLength: 10 }).map((lines) => lines.join('\n'));

describe('tmux-resurrect import never crashes and never writes a partial save', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'continuum-import-property-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('the converter on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => void convertOrProblem(bytes)));
  });

  it('the converter on save-shaped lines with odd fields', () => {
    fc.assert(
      fc.property(saveText, (text) => void convertOrProblem(Buffer.from(text, 'utf8'))),
      { numRuns: 500 },
    );
  });

  it('the converter on the sample save cut short or with one byte changed', () => {
    fc.assert(
      fc.property(
        fc.nat(sample.length),
        fc.nat(sample.length - 1),
        fc.integer({ min: 0, max: 255 }),
        (length, at, byte) => {
          convertOrProblem(sample.subarray(0, length));
          const changed = Buffer.from(sample);
          changed[at] = byte;
          convertOrProblem(changed);
        },
      ),
    );
  });

  it('the archive reader on arbitrary bytes, gzip-compressed or not', async () => {
    const { gzipSync } = await import('node:zlib');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1600 }), fc.boolean(), (bytes, compressed) => {
        try {
          readTarGz(compressed ? gzipSync(bytes) : bytes);
        } catch (error) {
          assert.ok(error instanceof TarArchiveProblem, `unexpected ${String(error)}`);
        }
      }),
    );
  });

  it('import into a store: either one complete, readable save or nothing at all', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          saveText.map((text) => Buffer.from(text, 'utf8')),
          fc.constant(sample),
        ),
        async (bytes) => {
          const saves = join(directory, `store-${run++}`);
          const converted = convertOrProblem(bytes);
          if (converted) await new SaveStore(saves, namedServerIdentity('p')).importSave(converted.snapshot);
          const files = await readdir(saves).catch(() => [] as string[]);
          assert.equal(files.length, converted ? 1 : 0, files.join());
          if (converted)
            assert.deepEqual((await readSaveFile(join(saves, files[0]!))).snapshot, converted.snapshot);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the save reader on arbitrary bytes: a typed error or a valid save', async () => {
    const path = join(directory, 'save.json');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.jsonValue({ maxDepth: 5 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
        ),
        async (bytes) => {
          await writeFile(path, bytes);
          try {
            const { snapshot } = await readSaveFile(path);
            assert.ok(validateSnapshot(snapshot).ok);
          } catch (error) {
            assert.ok(error instanceof ContinuumError, `unexpected ${String(error)}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
