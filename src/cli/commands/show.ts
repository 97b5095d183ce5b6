import { localTime } from '../../human-text.js';
import { layoutGeometry } from '../../snapshot/structure.js';
import { SaveStore } from '../../store/save-store.js';
import { type CommandContext, resolveSaveDirectory, serverIdentityOf } from '../context.js';
import { readStoreOptions } from './store-options.js';

/** What a save holds, as a tree (or the raw JSON with --json). */
export async function runShow(
  context: CommandContext,
  saveName: string | undefined,
  options: { json?: boolean },
): Promise<void> {
  const directory = resolveSaveDirectory(context, (await readStoreOptions(context)).get('@resurrect-dir'));
  const { path, snapshot, warnings } = await new SaveStore(directory, serverIdentityOf(context)).load(
    saveName,
  );
  for (const warning of warnings) context.warn(warning);
  if (options.json) {
    context.print(JSON.stringify(snapshot, null, 2));
    return;
  }
  context.print(`${path}`);
  context.print(
    `saved ${localTime(snapshot.savedAt)} from tmux ${snapshot.mux.version} (server pid ${snapshot.server.pid})`,
  );
  for (const session of snapshot.sessions) {
    const marks = [
      session.name === snapshot.activeSession ? 'active' : '',
      session.name === snapshot.alternateSession ? 'alternate' : '',
      session.group ? `group ${JSON.stringify(session.group)}` : '',
    ].filter(Boolean);
    context.print(`session ${JSON.stringify(session.name)}${marks.length ? ` (${marks.join(', ')})` : ''}`);
    for (const window of session.windows) {
      const flags = [
        window.active ? 'active' : '',
        window.alternate ? 'alternate' : '',
        window.zoomed ? 'zoomed' : '',
      ]
        .filter(Boolean)
        .join(', ');
      context.print(
        `  window ${window.index} ${JSON.stringify(window.name)} ${window.width}x${window.height}${flags ? ` (${flags})` : ''}  layout ${layoutGeometry(window.layout)}`,
      );
      for (const pane of window.panes) {
        const program = pane.program
          ? `  runs: ${pane.program.argv.map((argument) => JSON.stringify(argument)).join(' ')}`
          : '';
        context.print(`    pane ${pane.index}${pane.active ? '*' : ' '} ${pane.cwd}${program}`);
      }
    }
  }
}
