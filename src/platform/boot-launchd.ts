import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../errors.js';
import { writeFileAtomically } from '../files/atomic-write.js';
import { type BootReport, type BootSettings, bootServiceName, type RunProgram } from './boot-service.js';

const xmlText = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export function launchdLabel(settings: BootSettings): string {
  return `com.mux-continuum.${bootServiceName(settings.serverArguments)}`;
}

export function launchdPlistPath(home: string, settings: BootSettings): string {
  return join(home, 'Library', 'LaunchAgents', `${launchdLabel(settings)}.plist`);
}

/**
 * Pure: the launch agent. RunAtLoad starts it at login; no KeepAlive, because `tmux new-session -d`
 * exits once the server runs; AbandonProcessGroup keeps launchd from killing what it started.
 */
export function launchdPlist(settings: BootSettings): string {
  const argv = [settings.muxBinary, ...settings.serverArguments, ...settings.startCommand];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  <string>${xmlText(launchdLabel(settings))}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...argv.map((argument) => `    <string>${xmlText(argument)}</string>`),
    '  </array>',
    '  <key>EnvironmentVariables</key>',
    '  <dict>',
    '    <key>PATH</key>',
    `    <string>${xmlText(settings.searchPath)}</string>`,
    '  </dict>',
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>AbandonProcessGroup</key>',
    '  <true/>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

export async function enableLaunchd(
  home: string,
  settings: BootSettings,
  run: RunProgram,
): Promise<BootReport> {
  const path = launchdPlistPath(home, settings);
  await mkdir(join(home, 'Library', 'LaunchAgents'), { recursive: true });
  await writeFileAtomically(path, launchdPlist(settings));
  const warnings: string[] = [];
  const load = await run('launchctl', ['load', '-w', path]);
  if (load?.code !== 0)
    warnings.push(
      `launchctl load did not run (${load?.stderr.trim() || 'launchctl not available'}): it loads at the next login`,
    );
  return { done: [`wrote ${path}`], warnings };
}

export async function disableLaunchd(
  home: string,
  settings: BootSettings,
  run: RunProgram,
): Promise<BootReport> {
  const path = launchdPlistPath(home, settings);
  await run('launchctl', ['unload', '-w', path]);
  try {
    await unlink(path);
    return { done: [`removed ${path}`], warnings: [] };
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
    return { done: [], warnings: [] };
  }
}
