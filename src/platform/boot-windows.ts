import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../errors.js';
import { writeFileAtomically } from '../files/atomic-write.js';
import { type BootReport, type BootSettings, bootServiceName, type RunProgram } from './boot-service.js';

const xmlText = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * Quotes one argument the way CommandLineToArgvW reads it back: quotes around arguments with
 * spaces or quotes, a quote escaped with a backslash, and backslashes before a quote doubled.
 */
export function windowsQuote(argument: string): string {
  if (argument !== '' && !/[\s"]/.test(argument)) return argument;
  const escaped = argument.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1');
  return `"${escaped}"`;
}

/** Pure: the Scheduled Task: at logon of this user, hidden, one instance, no time limit. */
export function scheduledTaskXml(settings: BootSettings, userId: string): string {
  const args = [...settings.serverArguments, ...settings.startCommand].map(windowsQuote).join(' ');
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    `    <Description>Starts a detached ${xmlText(bootServiceName(settings.serverArguments))} server at logon (continuum)</Description>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <LogonTrigger>',
    '      <Enabled>true</Enabled>',
    `      <UserId>${xmlText(userId)}</UserId>`,
    '    </LogonTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${xmlText(userId)}</UserId>`,
    '      <LogonType>InteractiveToken</LogonType>',
    '      <RunLevel>LeastPrivilege</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
    '    <Hidden>true</Hidden>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xmlText(settings.muxBinary)}</Command>`,
    `      <Arguments>${xmlText(args)}</Arguments>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}

/** schtasks reads the XML as UTF-16 with a byte order mark, as Task Scheduler exports it. */
export function encodeTaskXml(xml: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
}

export function scheduledTaskName(settings: BootSettings): string {
  return bootServiceName(settings.serverArguments);
}

export async function enableScheduledTask(
  stateDirectory: string,
  settings: BootSettings,
  userId: string,
  run: RunProgram,
): Promise<BootReport> {
  await mkdir(stateDirectory, { recursive: true });
  const path = join(stateDirectory, `${scheduledTaskName(settings)}.xml`);
  await writeFileAtomically(path, encodeTaskXml(scheduledTaskXml(settings, userId)));
  const created = await run('schtasks', ['/Create', '/TN', scheduledTaskName(settings), '/XML', path, '/F']);
  const warnings =
    created?.code === 0
      ? []
      : [
          `schtasks /Create failed (${created?.stderr.trim() || 'schtasks not available'}); the task file is ${path}`,
        ];
  return {
    done: [`wrote ${path}`, ...(created?.code === 0 ? [`created task ${scheduledTaskName(settings)}`] : [])],
    warnings,
  };
}

export async function disableScheduledTask(
  stateDirectory: string,
  settings: BootSettings,
  run: RunProgram,
): Promise<BootReport> {
  const deleted = await run('schtasks', ['/Delete', '/TN', scheduledTaskName(settings), '/F']);
  const path = join(stateDirectory, `${scheduledTaskName(settings)}.xml`);
  await unlink(path).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
  return { done: deleted?.code === 0 ? [`deleted task ${scheduledTaskName(settings)}`] : [], warnings: [] };
}
