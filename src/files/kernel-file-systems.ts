import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorCode, KernelFileSystemError } from '../errors.js';

/**
 * Linux file systems that hold no user files (`statfs(2)` `f_type`, from linux/magic.h). Node's
 * recursive mkdir loops forever under /proc: mkdir answers ENOENT although the parent exists, and
 * it retries the parent and the child without end. The others refuse or discard files.
 */
const kernelFileSystems: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0x65735543, 'fusectl'],
  [0x42494e4d, 'binfmt_misc'],
  [0x19800202, 'mqueue'],
  [0xde5e81e4, 'efivarfs'],
  [0xf97cff8c, 'selinuxfs'],
  [0x958458f6, 'hugetlbfs'],
  [0x6e736673, 'nsfs'],
]);

/**
 * Refuses a directory that is, or would be created, on a kernel file system such as /proc or
 * /sys, before anything tries to create it. The nearest existing ancestor tells which file system
 * the directory would land on. Only Linux: other systems number their file systems differently
 * and have no /proc to get lost in.
 */
export async function refuseKernelFileSystem(
  directory: string,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  if (platform !== 'linux') return;
  const kind = await fileSystemKind(resolve(directory));
  const name = kind === undefined ? undefined : kernelFileSystems.get(kind);
  if (name !== undefined) throw new KernelFileSystemError(directory, name);
}

async function fileSystemKind(path: string): Promise<number | undefined> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return (await statfs(current)).type;
    } catch (error) {
      // ENOENT/ENOTDIR: not there (yet), so the parent decides; anything else is left to mkdir.
      const code = errorCode(error);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) return undefined;
    }
  }
}
