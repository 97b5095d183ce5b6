import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * tmux's layout checksum (layout-custom.c, layout_checksum), written out again for tests so no
 * expected value comes from the code under test: rotate the 16-bit sum right by one bit, add the
 * byte. The unit test checks it against every layout real tmux wrote in layouts-tmux.txt.
 */
export function tmuxLayoutChecksum(body: string): string {
  let sum = 0;
  for (const byte of Buffer.from(body, 'latin1')) {
    sum = ((sum >>> 1) | ((sum & 1) << 15)) & 0xffff;
    sum = (sum + byte) % 0x10000;
  }
  return sum.toString(16).padStart(4, '0');
}

/** A layout body (`WxH,X,Y…`) with the checksum tmux would put in front of it. */
export function withChecksum(body: string): string {
  return `${tmuxLayoutChecksum(body)},${body}`;
}

export interface RecordedLayout {
  readonly panes: number;
  readonly width: number;
  readonly height: number;
  readonly layout: string;
}

/** The windows test/support/recorded/generate-layouts.mjs recorded from tmux 3.3a. */
export function recordedLayouts(): RecordedLayout[] {
  const text = readFileSync(resolve(process.cwd(), 'test/support/recorded/layouts-tmux.txt'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [panes, size, layout] = line.split('\t');
      const [width, height] = size!.split('x').map(Number);
      return { panes: Number(panes), width: width!, height: height!, layout: layout! };
    });
}
