import { plural } from '../human-text.js';
import type { FieldValue, SnapshotChange } from '../snapshot/snapshot-diff.js';
import type { PaneStructure, WindowStructure } from '../snapshot/structure.js';
import { printable, quoted } from './printable-text.js';

/** SGR colours of `diff --color`: added green, removed red, changed yellow. */
const colours = { '+': '\x1b[32m', '-': '\x1b[31m', '~': '\x1b[33m' } as const;
const reset = '\x1b[0m';

/**
 * One line per change: `+` added, `-` removed, `~` changed, as `diff` marks lines. Every text
 * from a save is escaped; `colour` wraps each line in its colour (for a terminal only).
 */
export function describeChanges(changes: readonly SnapshotChange[], options: { colour: boolean }): string[] {
  return changes.map((change) => {
    const [mark, text] = describeChange(change);
    const line = `${mark} ${text}`;
    return options.colour ? `${colours[mark]}${line}${reset}` : line;
  });
}

function describeChange(change: SnapshotChange): ['+' | '-' | '~', string] {
  switch (change.kind) {
    case 'session-added':
    case 'session-removed': {
      const windows = change.session.windows;
      const panes = windows.reduce((total, window) => total + window.panes.length, 0);
      return [
        change.kind === 'session-added' ? '+' : '-',
        `session ${quoted(change.session.name)} (${plural(windows.length, 'window')}, ${plural(panes, 'pane')})`,
      ];
    }
    case 'session-renamed':
      return ['~', `session ${quoted(change.before)} renamed to ${quoted(change.after)}`];
    case 'session-changed':
      return [
        '~',
        `session ${quoted(change.session)} ${change.field === 'baseIndex' ? 'base-index' : 'group'}: ${value(change.before)} → ${value(change.after)}`,
      ];
    case 'window-added':
    case 'window-removed':
      return [
        change.kind === 'window-added' ? '+' : '-',
        `window ${windowName(change.session, change.window.index)}${describeWindow(change.window)}`,
      ];
    case 'window-moved':
      return [
        '~',
        `window ${windowName(change.session, change.before)} moved to ${windowName(change.session, change.after)}`,
      ];
    case 'window-changed':
      return [
        '~',
        `window ${windowName(change.session, change.window)} ${windowFieldNames[change.field]}: ${windowValue(change.field, change.before)} → ${windowValue(change.field, change.after)}`,
      ];
    case 'pane-added':
    case 'pane-removed':
      return [
        change.kind === 'pane-added' ? '+' : '-',
        `pane ${paneName(change.session, change.window, change.pane.index)} ${describePane(change.pane)}`,
      ];
    case 'pane-changed':
      return [
        '~',
        `pane ${paneName(change.session, change.window, change.pane)} ${paneFieldNames[change.field]}: ${paneValue(change.field, change.before)} → ${paneValue(change.field, change.after)}`,
      ];
    case 'server-changed':
      return [
        '~',
        `${change.field === 'activeSession' ? 'active' : 'alternate'} session: ${value(change.before)} → ${value(change.after)}`,
      ];
  }
}

const windowFieldNames = {
  name: 'name',
  layout: 'layout',
  zoomed: 'zoomed',
  active: 'active',
  alternate: 'alternate',
  paneBaseIndex: 'pane-base-index',
} as const;

const paneFieldNames = {
  index: 'index',
  cwd: 'directory',
  program: 'program',
  title: 'title',
  active: 'active',
} as const;

/** `"dev":1`, as tmux targets read. */
function windowName(session: string, index: number): string {
  return `${quoted(session)}:${index}`;
}

function paneName(session: string, window: number, pane: number): string {
  return `${quoted(session)}:${window}.${pane}`;
}

function describeWindow(window: WindowStructure): string {
  const name = window.name === null ? '' : ` ${quoted(window.name)}`;
  return `${name} (${plural(window.panes.length, 'pane')})`;
}

function describePane(pane: PaneStructure): string {
  return `${quoted(pane.cwd)}${pane.program ? `  runs: ${pane.program.map(quoted).join(' ')}` : ''}`;
}

function windowValue(field: keyof typeof windowFieldNames, fieldValue: FieldValue): string {
  if (field === 'name' && fieldValue === null) return '(automatic)';
  // A layout's geometry is digits and punctuation, unless the save was edited.
  if (field === 'layout' && typeof fieldValue === 'string') return printable(fieldValue);
  return value(fieldValue);
}

function paneValue(field: keyof typeof paneFieldNames, fieldValue: FieldValue): string {
  if (field === 'program' && Array.isArray(fieldValue)) return fieldValue.map(quoted).join(' ');
  return value(fieldValue);
}

function value(fieldValue: FieldValue): string {
  if (fieldValue === null) return '(none)';
  if (typeof fieldValue === 'boolean') return fieldValue ? 'yes' : 'no';
  if (typeof fieldValue === 'number') return String(fieldValue);
  if (typeof fieldValue === 'string') return quoted(fieldValue);
  return fieldValue.map(quoted).join(', ');
}
