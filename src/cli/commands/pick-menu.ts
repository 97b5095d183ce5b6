import { menuSaveCount, pickMenuCommand } from '../../daemon/tmux-integration.js';
import type { CommandContext } from '../context.js';
import { cliInvocation, globalArgumentsFor } from './daemon-target.js';
import { loadPickerSaves } from './pick.js';

/**
 * `continuum pick --menu`: on tmux older than 3.2 (no display-popup), the key shows a menu of this
 * server's newest saves on the client that pressed it; choosing one restores it. Built when the key
 * is pressed, so the menu holds the saves of that moment.
 */
export async function runPickMenu(context: CommandContext, client: string | undefined): Promise<void> {
  const { saves } = await loadPickerSaves(context);
  const target = client === undefined || client === '' ? [] : ['-c', client];
  if (saves.length === 0) {
    await context.mux.run([
      'display-message',
      ...target,
      'continuum: no saves of this server yet (prefix + C-s saves)',
    ]);
    return;
  }
  const cli = [...cliInvocation(), ...globalArgumentsFor(context)];
  const readable = saves.filter((save) => save.snapshot !== undefined).slice(0, menuSaveCount);
  await context.mux.run(pickMenuCommand(readable, cli, target.length === 0 ? undefined : client));
}
