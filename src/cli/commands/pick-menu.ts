import { dirname } from 'node:path';
import { ensurePrivateDirectory, writeFileAtomically } from '../../files/atomic-write.js';
import { menuSaveCount, pickMenuCommand } from '../../integration/tmux-integration.js';
import { buildScript } from '../../mux/script.js';
import type { CommandContext } from '../context.js';
import { cliInvocation, globalArgumentsFor, pickMenuFileFor } from './daemon-target.js';
import { loadPickerSaves } from './pick.js';

/**
 * `continuum pick --menu`: on tmux older than 3.2 (no display-popup), the key binding runs this and
 * then sources the file it writes: a menu of this server's newest saves (or a message that there
 * are none), made when the key is pressed, so it holds the saves of that moment. Choosing a save
 * restores it by its path.
 */
export async function runPickMenu(context: CommandContext): Promise<void> {
  const { saves } = await loadPickerSaves(context);
  const cli = [...cliInvocation(), ...globalArgumentsFor(context)];
  const readable = saves.filter((save) => save.snapshot !== undefined).slice(0, menuSaveCount);
  const command =
    readable.length === 0
      ? ['display-message', 'continuum: no saves of this server yet (prefix + C-s saves)']
      : pickMenuCommand(readable, cli);
  const file = pickMenuFileFor(context);
  // Private: the file runs tmux commands, so nobody else may write it.
  await ensurePrivateDirectory(dirname(file));
  await writeFileAtomically(file, buildScript([command]));
}
