import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  namedServerIdentity,
  sameServer,
  serverIdentity,
  serverOptions,
} from '../../../src/server/server-identity.js';
import { parseSaveFileName, saveFileName } from '../../../src/store/save-files.js';

describe('server identity', () => {
  it('is the -L name for a socket in tmux-UID, whatever TMUX_TMPDIR was', () => {
    const identity = serverIdentity('/tmp/tmux-1000/work');
    assert.equal(identity.kind, 'socket-name');
    assert.deepEqual(serverOptions(identity), ['-L', 'work']);
    assert.ok(sameServer(identity, serverIdentity('/run/user/1000/other/tmux-1000/work')));
    assert.ok(sameServer(identity, serverIdentity('/private/tmp/tmux-501/work')));
    assert.ok(sameServer(identity, namedServerIdentity('work')));
    assert.ok(!sameServer(identity, serverIdentity('/tmp/tmux-1000/play')));
  });

  it('is the whole path for any other socket (-S)', () => {
    const identity = serverIdentity('/home/me/sockets/work');
    assert.equal(identity.kind, 'socket-path');
    assert.deepEqual(serverOptions(identity), ['-S', '/home/me/sockets/work']);
    assert.ok(!sameServer(identity, serverIdentity('/tmp/tmux-1000/work')));
    assert.ok(!sameServer(identity, serverIdentity('/home/me/other-sockets/work')));
    // A directory that only looks a little like tmux's is not tmux's.
    assert.equal(serverIdentity('/tmp/tmux-me/work').kind, 'socket-path');
    assert.equal(serverIdentity('/tmp/tmux-1000x/work').kind, 'socket-path');
  });

  it('gives a tag that is file-name-safe, readable, and different per identity', () => {
    assert.match(namedServerIdentity('work').tag, /^work\.[0-9a-f]{8}$/);
    const odd = namedServerIdentity('my server/ünï.cødé: "x"');
    assert.match(odd.tag, /^[A-Za-z0-9_-]{1,32}\.[0-9a-f]{8}$/);
    assert.notEqual(namedServerIdentity('a b').tag, namedServerIdentity('a_b').tag);
    assert.match(namedServerIdentity('x'.repeat(200)).tag, /^x{32}\.[0-9a-f]{8}$/);
  });
});

describe('save file names with a server tag', () => {
  const server = { startTime: 1795522571, pid: 4242 };
  const at = new Date('2026-11-24T12:13:37.123Z');

  it('carry the tag, the time and the lifetime, and parse back', () => {
    const { tag } = namedServerIdentity('work');
    const name = saveFileName(at, server, 0, tag);
    assert.equal(name, `continuum-${tag}-2026-11-24T12-13-37-123Z-server-1795522571-4242.json`);
    const parsed = parseSaveFileName(name)!;
    assert.equal(parsed.serverTag, tag);
    assert.equal(parsed.savedAt.toISOString(), at.toISOString());
    assert.equal(parsed.serverLifetime, '1795522571-4242');
    assert.equal(parseSaveFileName(saveFileName(at, server, 3, tag))?.attempt, 3);
  });

  it('still parse legacy names, without a tag', () => {
    const parsed = parseSaveFileName('continuum-2026-11-24T12-13-37-123Z-server-1795522571-4242.json')!;
    assert.equal(parsed.serverTag, undefined);
    assert.equal(parsed.serverLifetime, '1795522571-4242');
  });

  it('tell a label that looks like a time from the time', () => {
    const { tag } = namedServerIdentity('2026-11-24T12-13-37-123Z-server-1-2');
    const parsed = parseSaveFileName(saveFileName(at, server, 0, tag))!;
    assert.equal(parsed.serverTag, tag);
    assert.equal(parsed.savedAt.toISOString(), at.toISOString());
  });
});
