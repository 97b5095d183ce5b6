import type { MuxClient } from '../mux/mux-client.js';
import { stateSettings } from '../settings/settings.js';

/** Set by the first auto-restore of a server lifetime: how it ended (kept in the server, dies with it). */
export const autoRestoreResultOption = stateSettings.autoRestoreResult.name;

/** How the auto-restore of this server lifetime ended; `none` while none finished. */
export type AutoRestoreResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'restored' }
  | { readonly kind: 'nothing-to-restore' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Pure: the option's value, as this and earlier versions stored it (`restored`,
 * `nothing to restore`, `failed: …`). Anything else counts as no result: it neither resumes
 * auto-saving (as `restored` does) nor pauses it (as `failed` does).
 */
export function parseAutoRestoreResult(value: string): AutoRestoreResult {
  if (value === 'restored') return { kind: 'restored' };
  if (value === 'nothing to restore') return { kind: 'nothing-to-restore' };
  if (value.startsWith('failed')) return { kind: 'failed', message: value.replace(/^failed:? ?/, '') };
  return { kind: 'none' };
}

/** Pure: the option's value for a result (the inverse of {@link parseAutoRestoreResult}). */
export function formatAutoRestoreResult(result: AutoRestoreResult): string {
  switch (result.kind) {
    case 'none':
      return '';
    case 'restored':
      return 'restored';
    case 'nothing-to-restore':
      return 'nothing to restore';
    case 'failed':
      return `failed: ${result.message}`;
  }
}

export async function readAutoRestoreResult(mux: MuxClient): Promise<AutoRestoreResult> {
  return parseAutoRestoreResult(await mux.run(['show-options', '-gqv', autoRestoreResultOption]));
}

/** Records the result in the server; a server that is gone has nothing to record it in. */
export async function recordAutoRestoreResult(mux: MuxClient, result: AutoRestoreResult): Promise<void> {
  await mux
    .run(['set-option', '-g', autoRestoreResultOption, formatAutoRestoreResult(result)])
    .catch(() => '');
}

/**
 * A failed auto-restore pauses the daemon until the user restores: called after such a restore,
 * it marks the auto-restore as done so auto-saving resumes.
 */
export async function resolveFailedAutoRestore(mux: MuxClient): Promise<void> {
  if ((await readAutoRestoreResult(mux)).kind === 'failed')
    await mux.run([
      'set-option',
      '-g',
      autoRestoreResultOption,
      formatAutoRestoreResult({ kind: 'restored' }),
    ]);
}
