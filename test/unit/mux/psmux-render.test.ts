import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplyOptions, RestoreAction } from '../../../src/mux/actions.js';
import { renderPsmuxSteps } from '../../../src/mux/psmux-render.js';

const options: ApplyOptions = {
  server: { name: 'psmux', version: '3.3.8' },
  marker: { option: '@continuum-restoring', value: '42', keep: false },
};

describe('renderPsmuxSteps', () => {
  it('types each action by what psmux must do about it, one step per tmux script line', () => {
    const actions: RestoreAction[] = [
      {
        kind: 'create-session',
        session: 'web#1',
        windowIndex: 1,
        initialWindowIndex: 0,
        windowName: 'edit',
        cwd: '/srv/a#b',
        width: 120,
        height: 40,
        launch: { description: 'show text', command: ['cat', 'f'], environment: { CONTINUUM_PANE: 'p1' } },
      },
      { kind: 'join-group', session: 'peer', carrier: 'web#1' },
      {
        kind: 'create-window',
        address: { session: 'web#1', windowIndex: 4 },
        windowName: 'logs',
        cwd: '/var',
      },
      { kind: 'split-pane', after: { session: 'web#1', windowIndex: 4, paneIndex: 0 }, cwd: '/tmp/x#y' },
      {
        kind: 'set-layout',
        address: { session: 'web#1', windowIndex: 4 },
        layout: 'b1c2,80x24,0,0{40x24,0,0,1,39x24,41,0,2}',
      },
      { kind: 'select-pane', address: { session: 'web#1', windowIndex: 4, paneIndex: 1 } },
    ];
    assert.deepEqual(renderPsmuxSteps(actions, options), [
      { kind: 'command', command: ['set-option', '-g', '@continuum-restoring', '42'] },
      {
        kind: 'new-session',
        command: [
          'new-session',
          '-d',
          '-s',
          'web##1',
          '-n',
          'edit',
          '-c',
          '/srv/a##b',
          '-x',
          '120',
          '-y',
          '40',
          '-e',
          'CONTINUUM_PANE=p1',
          'cat',
          'f',
        ],
        session: 'web#1',
      },
      { kind: 'command', command: ['move-window', '-s', '=web#1:0', '-t', '=web#1:1'] },
      {
        kind: 'new-session',
        command: ['new-session', '-d', '-s', 'peer', '-t', '=web#1'],
        session: 'peer',
        routedTo: 'web#1',
      },
      {
        kind: 'new-window',
        command: ['new-window', '-d', '-t', 'web#1:', '-n', 'logs', '-c', '/var'],
        session: 'web#1',
        windowIndex: 4,
      },
      {
        kind: 'split-pane',
        command: ['split-window', '-d', '-t', '=web#1:4.0', '-c', '/tmp/x##y'],
        window: '=web#1:4',
        request: { cwd: '/tmp/x##y', launch: [] },
      },
      { kind: 'layout', window: '=web#1:4', layout: 'tiled' },
      { kind: 'layout', window: '=web#1:4', layout: 'b1c2,80x24,0,0{40x24,0,0,1,39x24,41,0,2}' },
      { kind: 'command', command: ['select-pane', '-t', '=web#1:4.1'] },
      { kind: 'command', command: ['set-option', '-gu', '@continuum-restoring'] },
    ]);
  });

  it('keeps the marker set when asked, and sets the environment around new-session when asked', () => {
    const steps = renderPsmuxSteps(
      [
        {
          kind: 'create-session',
          session: 's',
          windowIndex: 0,
          initialWindowIndex: 0,
          windowName: 'w',
          cwd: '/',
          width: 80,
          height: 24,
          launch: { description: 'd', command: [], environment: { CONTINUUM_PANE: 'p' } },
        },
      ],
      { ...options, sessionEnvironment: 'global-around', marker: { ...options.marker!, keep: true } },
    );
    assert.deepEqual(steps, [
      { kind: 'command', command: ['set-option', '-g', '@continuum-restoring', '42'] },
      { kind: 'command', command: ['set-environment', '-g', 'CONTINUUM_PANE', 'p'] },
      {
        kind: 'new-session',
        command: ['new-session', '-d', '-s', 's', '-n', 'w', '-c', '/', '-x', '80', '-y', '24'],
        session: 's',
      },
      { kind: 'command', command: ['set-environment', '-gu', 'CONTINUUM_PANE'] },
    ]);
  });
});
