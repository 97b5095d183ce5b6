import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { launchdLabel, launchdPlist } from '../../../src/platform/boot-launchd.js';
import {
  type BootSettings,
  bootServiceName,
  type RunProgram,
  runProgramIn,
  startCommandFrom,
} from '../../../src/platform/boot-service.js';
import {
  disableSystemd,
  enableSystemd,
  systemdQuote,
  systemdState,
  systemdUnit,
  verifyUnit,
} from '../../../src/platform/boot-systemd.js';
import { encodeTaskXml, scheduledTaskXml, windowsQuote } from '../../../src/platform/boot-windows.js';

const settings: BootSettings = {
  muxBinary: '/usr/bin/tmux',
  serverArguments: ['-L', 'work'],
  startCommand: ['new-session', '-d'],
  cli: [process.execPath, '/opt/continuum dir/dist/continuum.js'],
  searchPath: '/usr/local/bin:/usr/bin:/bin',
};

const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  );

/** A runner for systemctl/launchctl that records calls and reports them missing. */
function recordingRunner(): { run: RunProgram; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    run: async (program, args) => {
      calls.push([program, ...args].join(' '));
      return undefined;
    },
  };
}

describe('start at login', () => {
  it('names services per server and reads @continuum-systemd-start-cmd', () => {
    assert.equal(bootServiceName([]), 'continuum-tmux');
    assert.equal(bootServiceName(['-L', 'work']), 'continuum-tmux-work');
    assert.match(bootServiceName(['-S', '/tmp/odd socket']), /^continuum-tmux-[0-9a-f]{10}$/);
    assert.deepEqual(startCommandFrom(undefined), ['new-session', '-d']);
    assert.deepEqual(startCommandFrom('  new-session -d -s main '), ['new-session', '-d', '-s', 'main']);
  });

  it('writes a systemd unit whose Exec lines survive systemd quoting', () => {
    assert.equal(systemdQuote('50% $HOME "x" a\\b'), '"50%% $$HOME \\"x\\" a\\\\b"');
    const unit = systemdUnit(settings);
    assert.match(unit, /^Type=oneshot$/m);
    assert.match(unit, /^RemainAfterExit=yes$/m);
    assert.match(unit, /^ExecStart="\/usr\/bin\/tmux" "-L" "work" "new-session" "-d"$/m);
    assert.match(
      unit,
      /^ExecStop=-".*" "\/opt\/continuum dir\/dist\/continuum.js" "-L" "work" "save" "--quiet"$/m,
    );
    assert.match(unit, /^ExecStop=-"\/usr\/bin\/tmux" "-L" "work" "kill-server"$/m);
    assert.match(unit, /^WantedBy=default.target$/m);
  });

  it('passes systemd-analyze verify where systemd-analyze exists', async (context) => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-unit-'));
    try {
      const path = join(directory, 'continuum-tmux-work.service');
      // The binaries must exist for verify: node itself stands in for tmux.
      await writeFile(path, systemdUnit({ ...settings, muxBinary: process.execPath }));
      // systemd-analyze makes `$XDG_RUNTIME_DIR/systemd`: never in the developer's runtime directory.
      const runtime = join(directory, 'run');
      await mkdir(runtime, { mode: 0o700 });
      const verdict = await verifyUnit(path, runProgramIn({ ...process.env, XDG_RUNTIME_DIR: runtime }));
      if (/not installed/.test(verdict.message)) {
        context.diagnostic('systemd-analyze is not installed here: the unit was not verified');
        return;
      }
      assert.ok(verdict.ok, verdict.message);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('enables into XDG_CONFIG_HOME, is idempotent, and disable removes exactly what enable made', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'continuum-boot-'));
    try {
      const location = { unitDirectory: join(directory, 'systemd', 'user') };
      const runner = recordingRunner();
      const unitPath = join(location.unitDirectory, 'continuum-tmux-work.service');
      const link = join(location.unitDirectory, 'default.target.wants', 'continuum-tmux-work.service');
      assert.equal((await systemdState(settings, location)).enabled, false);
      const first = await enableSystemd(settings, location, runner.run);
      const second = await enableSystemd(settings, location, runner.run);
      assert.ok(first.done.includes(`wrote ${unitPath}`));
      // Enabling twice says what was already there instead of "wrote" again.
      assert.ok(!second.done.some((line) => line.startsWith('wrote')), second.done.join('; '));
      assert.ok(second.done.includes(`already in place: ${unitPath}`), second.done.join('; '));
      assert.ok(second.done.includes(`already enabled: ${link}`), second.done.join('; '));
      assert.ok(first.warnings.some((line) => /not installed|daemon-reload/.test(line)));
      assert.equal(await readFile(unitPath, 'utf8'), systemdUnit(settings));
      assert.equal(await readlink(link), unitPath);
      assert.equal((await systemdState(settings, location)).enabled, true);
      assert.ok(runner.calls.includes('systemctl --user daemon-reload'));
      const disabled = await disableSystemd(settings, location, runner.run);
      assert.equal(disabled.done.length, 2);
      assert.equal(await exists(unitPath), false);
      assert.equal(await exists(link), false);
      assert.equal(
        (await disableSystemd(settings, location, runner.run)).done.length,
        0,
        'disable twice is fine',
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('writes a launchd agent with escaped arguments (not loadable here: no launchctl)', () => {
    const plist = launchdPlist({ ...settings, serverArguments: ['-S', '/tmp/a&b <c>'] });
    assert.match(
      plist,
      /<key>Label<\/key>\n {2}<string>com\.mux-continuum\.continuum-tmux-[0-9a-f]{10}<\/string>/,
    );
    assert.match(plist, /<string>\/tmp\/a&amp;b &lt;c&gt;<\/string>/);
    assert.match(plist, /<key>RunAtLoad<\/key>\n {2}<true\/>/);
    assert.equal(launchdLabel(settings), 'com.mux-continuum.continuum-tmux-work');
    // Balanced tags: every opened element is closed.
    for (const tag of ['dict', 'array', 'plist'])
      assert.equal(plist.split(`<${tag}`).length, plist.split(`</${tag}>`).length, tag);
  });

  it('writes a Scheduled Task as UTF-16 with quoting CommandLineToArgvW reads back (not registrable here)', () => {
    assert.equal(windowsQuote('plain'), 'plain');
    assert.equal(windowsQuote('two words'), '"two words"');
    assert.equal(windowsQuote('say "hi"'), '"say \\"hi\\""');
    assert.equal(windowsQuote('C:\\dir with space\\'), '"C:\\dir with space\\\\"');
    assert.equal(windowsQuote(''), '""');
    const xml = scheduledTaskXml(
      { ...settings, muxBinary: 'C:\\Program Files\\psmux\\psmux.exe' },
      'HOST\\ann',
    );
    assert.match(xml, /<LogonTrigger>\r\n {6}<Enabled>true<\/Enabled>\r\n {6}<UserId>HOST\\ann<\/UserId>/);
    assert.match(xml, /<Command>C:\\Program Files\\psmux\\psmux.exe<\/Command>/);
    assert.match(xml, /<Arguments>-L work new-session -d<\/Arguments>/);
    const encoded = encodeTaskXml(xml);
    assert.deepEqual([...encoded.subarray(0, 2)], [0xff, 0xfe]);
    assert.equal(encoded.subarray(2).toString('utf16le'), xml);
  });
});
