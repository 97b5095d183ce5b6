import { gunzipSync } from 'node:zlib';

/** An archive continuum cannot read: what is wrong, never a partial list. */
export class TarArchiveProblem extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'TarArchiveProblem';
  }
}

/** tmux-resurrect's archive holds a few hundred small files at most; more is not its archive. */
const maximumUnpackedBytes = 256 * 1024 * 1024;
const blockSize = 512;

/**
 * The regular files of a gzip-compressed tar archive (what `tar cf - | gzip` writes: ustar or GNU
 * headers), by name as stored (`./pane_contents/pane-work:1.0`). Pure. Only what tmux-resurrect's
 * archive needs is read: file names (with ustar's prefix field and GNU's long-name entries) and
 * file data; directories, links and other entries are passed over, and every header's checksum is
 * checked so that a damaged archive is refused instead of read as garbage.
 */
export function readTarGz(bytes: Uint8Array): Map<string, Uint8Array> {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: maximumUnpackedBytes });
  } catch (error) {
    throw new TarArchiveProblem(`not a gzip-compressed archive (${(error as Error).message})`);
  }
  const files = new Map<string, Uint8Array>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + blockSize <= tar.length) {
    const header = tar.subarray(offset, offset + blockSize);
    // Two zero blocks end the archive; one is enough to stop reading.
    if (header.every((byte) => byte === 0)) return files;
    checkHeaderChecksum(header, offset);
    const size = octal(header.subarray(124, 136), 'size', offset);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + blockSize;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new TarArchiveProblem(`the entry at byte ${offset} is cut short`);
    const data = tar.subarray(dataStart, dataEnd);
    if (type === 'L') {
      longName = text(data);
    } else {
      const prefix =
        header[257 + 5] === 0x00 && text(header.subarray(257, 263)) === 'ustar'
          ? text(header.subarray(345, 500))
          : '';
      const name =
        longName ??
        (prefix === '' ? text(header.subarray(0, 100)) : `${prefix}/${text(header.subarray(0, 100))}`);
      longName = undefined;
      if (type === '0' || type === '\0') files.set(name, Uint8Array.from(data));
    }
    offset = dataStart + Math.ceil(size / blockSize) * blockSize;
  }
  if (offset !== tar.length) throw new TarArchiveProblem('the archive ends inside a header');
  return files;
}

/** A NUL-terminated field as UTF-8 text (tar names are bytes; tmux-resurrect's are UTF-8). */
function text(field: Uint8Array): string {
  const end = field.indexOf(0);
  return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString('utf8');
}

function octal(field: Uint8Array, what: string, offset: number): number {
  const digits = text(field).trim();
  if (!/^[0-7]{1,12}$/.test(digits))
    throw new TarArchiveProblem(`the entry at byte ${offset} has no readable ${what}`);
  return Number.parseInt(digits, 8);
}

function checkHeaderChecksum(header: Uint8Array, offset: number): void {
  const stored = octal(header.subarray(148, 156), 'checksum', offset);
  let sum = 0;
  for (let position = 0; position < blockSize; position++)
    sum += position >= 148 && position < 156 ? 0x20 : (header[position] ?? 0);
  if (sum !== stored) throw new TarArchiveProblem(`the header at byte ${offset} is damaged (checksum)`);
}
