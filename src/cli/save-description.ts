import { type LayoutCell, parseLayout } from '../mux/layout.js';
import type { PaneAgentSnapshot, PaneSnapshot, Snapshot, WindowSnapshot } from '../snapshot/schema.js';
import { drawLayout, leaves } from './layout-drawing.js';
import { printable, quoted } from './printable-text.js';

/** Drawings sit under their window's line, indented like its panes. */
const drawingIndent = '    ';
/** A window drawn at the width of an 80-column terminal keeps its shape up to this height. */
const drawingMaxHeight = 24;

/**
 * What `continuum show` prints for a snapshot: sessions → windows → panes (directory and
 * program), and each window's layout drawn as boxes at most `width` columns wide and
 * `drawingHeight` lines high (none when 0: the picker's preview when only the tree fits). Every
 * text from the save is escaped (`printable`, `quoted`): a save must not be able to drive the
 * terminal.
 */
export function describeSnapshot(
  snapshot: Snapshot,
  width: number,
  drawingHeight = drawingMaxHeight,
): string[] {
  const lines: string[] = [];
  for (const session of snapshot.sessions) {
    const marks = [
      session.name === snapshot.activeSession ? 'active' : '',
      session.name === snapshot.alternateSession ? 'alternate' : '',
      session.group ? `group ${quoted(session.group)}` : '',
    ].filter(Boolean);
    lines.push(`session ${quoted(session.name)}${marks.length ? ` (${marks.join(', ')})` : ''}`);
    for (const window of session.windows) {
      const flags = [
        window.active ? 'active' : '',
        window.alternate ? 'alternate' : '',
        window.zoomed ? 'zoomed' : '',
      ].filter(Boolean);
      const parsed = parseLayout(window.layout, window.panes.length);
      lines.push(
        `  window ${window.index} ${quoted(window.name)} ${window.width}x${window.height}` +
          (flags.length ? ` (${flags.join(', ')})` : '') +
          // The problem names positions and characters, never the layout's own text.
          (parsed.ok ? '' : `  layout not drawn: ${printable(parsed.problem)}`),
      );
      for (const pane of window.panes) {
        const program = pane.program ? `  runs: ${pane.program.argv.map(quoted).join(' ')}` : '';
        lines.push(`    pane ${pane.index}${pane.active ? '*' : ' '} ${printable(pane.cwd)}${program}`);
        if (pane.agent) lines.push(`      ${describeAgent(pane.agent)}`);
      }
      if (parsed.ok && drawingHeight > 0)
        lines.push(...drawWindow(window, parsed.root, width - drawingIndent.length, drawingHeight));
    }
  }
  return lines;
}

function drawWindow(window: WindowSnapshot, root: LayoutCell, width: number, maxHeight: number): string[] {
  const panes = panesInLayoutOrder(window, leaves(root));
  const drawing = drawLayout(
    root,
    (_cell, position) => {
      const pane = panes[position];
      return pane ? `${pane.index}${pane.active ? '*' : ''} ${programName(pane)}` : '';
    },
    { width, maxHeight },
  );
  if (!drawing.drawn)
    return [
      `${drawingIndent}(layout not drawn: it needs ${drawing.neededWidth} columns, the terminal has ${width + drawingIndent.length})`,
    ];
  return drawing.lines.map((line) => `${drawingIndent}${line}`);
}

/**
 * The pane each cell shows: by the pane id tmux wrote in the layout, as saved; when the ids do
 * not name the panes (an edited save), in order, which is how `select-layout` assigns cells.
 */
function panesInLayoutOrder(window: WindowSnapshot, cells: readonly LayoutCell[]): PaneSnapshot[] {
  const byId = cells.map((cell) => window.panes.find((pane) => pane.id === `%${cell.paneId}`));
  if (byId.every((pane) => pane !== undefined) && new Set(byId).size === byId.length) return byId;
  return [...window.panes].sort((a, b) => a.index - b.index);
}

/** The program's name as a person knows it (`vim`, not `/usr/bin/vim`), or the shell's. */
function programName(pane: PaneSnapshot): string {
  const command = pane.program?.argv[0];
  if (command === undefined) return pane.currentCommand;
  return command.split('/').filter(Boolean).pop() ?? command;
}

/** `agent: claude, session 0f3c… (decided by …)` or why there is none; names only, never a prompt. */
export function describeAgent(agent: PaneAgentSnapshot): string {
  const dropped =
    agent.dropped.length > 0 ? `; not replayed: ${agent.dropped.map(printable).join(', ')}` : '';
  const session = agent.session
    ? `session ${printable(agent.session.id)} (by ${printable(agent.session.decidedBy)})`
    : `no session: ${printable(agent.problem ?? 'unknown')}`;
  return `agent: ${printable(agent.name)}, ${session}${dropped}`;
}
