import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DaemonLog, formatLogLine } from '../../../src/daemon/daemon-log.js';

const linePattern =
  /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] \[(INF|WRN|ERR)\] \[PID \d+\] writer \d+ line \d+ x+$/;

describe('daemon log', () => {
  it('formats one line per event in local time', () => {
    const time = new Date(2026, 10, 23, 14, 30, 1);
    assert.equal(formatLogLine(time, 'INF', 1234, 'saved'), '[2026-11-23 14:30:01] [INF] [PID 1234] saved\n');
    assert.equal(
      formatLogLine(time, 'ERR', 7, 'tmux failed:\n  no server\r\n'),
      '[2026-11-23 14:30:01] [ERR] [PID 7] tmux failed: | no server\n',
    );
  });

  it('rotates to one .old file, bounding the size, and concurrent writers never split a line', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-log-'));
    try {
      const path = join(directory, 'state', 'daemon.log');
      const limit = 8 * 1024;
      // One rotating writer (the lease holder) and three appending ones, all at once.
      const writers = [0, 1, 2, 3].map(
        (index) => new DaemonLog({ path, rotates: index === 0, rotationBytes: limit }),
      );
      const padding = 'x'.repeat(80);
      await Promise.all(
        writers.map(async (log, writer) => {
          for (let line = 0; line < 300; line += 1) {
            await log.write(line % 3 === 0 ? 'WRN' : 'INF', `writer ${writer} line ${line} ${padding}`);
          }
        }),
      );
      const longest = 200;
      // The appending writers may add to a full file until the holder's next write rotates it.
      assert.ok((await stat(path)).size <= limit + 4 * longest, `log is ${(await stat(path)).size} bytes`);
      assert.ok((await stat(`${path}.old`)).size <= limit + 4 * longest);
      for (const file of [path, `${path}.old`]) {
        const text = await readFile(file, 'utf8');
        assert.ok(text.endsWith('\n'));
        for (const line of text.slice(0, -1).split('\n')) assert.match(line, linePattern);
      }
      assert.equal((await stat(path)).mode & 0o777, 0o600);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('never throws when the log cannot be written', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-log-'));
    try {
      // A regular file where the state directory should be: every write fails with ENOTDIR.
      await writeFile(join(directory, 'state'), '');
      const log = new DaemonLog({ path: join(directory, 'state', 'daemon.log'), rotates: true });
      await log.error('lost, but the daemon goes on');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
