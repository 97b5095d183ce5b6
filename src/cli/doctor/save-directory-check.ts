import { access, constants, lstat } from 'node:fs/promises';
import { ContinuumError, errorCode } from '../../errors.js';
import { refuseKernelFileSystem } from '../../files/kernel-file-systems.js';
import { currentUser, privateDirectoryFaults } from '../../files/ownership.js';
import type { DoctorCheck } from './doctor-check.js';

/** Whether saves can go into the directory: a real one, yours, 0700 and writable. */
export async function saveDirectoryCheck(directory: string, platform: NodeJS.Platform): Promise<DoctorCheck> {
  const what = 'save directory';
  try {
    await refuseKernelFileSystem(directory, platform);
  } catch (error) {
    if (!(error instanceof ContinuumError)) throw error;
    return {
      result: 'fail',
      what,
      detail: error.message,
      action: 'choose another with --dir or @resurrect-dir',
    };
  }
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(directory);
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      return {
        result: 'warn',
        what,
        detail: `${directory} does not exist yet`,
        action: 'the first `continuum save` creates it',
      };
    return {
      result: 'fail',
      what,
      detail: `${directory} cannot be read (${errorCode(error)})`,
      action: 'fix its permissions',
    };
  }
  // The one private-directory rule (files/ownership.ts); doctor adds that the owner can write.
  const faults = privateDirectoryFaults(info, currentUser());
  if (faults.includes('symbolic-link') || faults.includes('not-directory'))
    return {
      result: 'fail',
      what,
      detail: `${directory} is ${info.isSymbolicLink() ? 'a symlink' : 'not a directory'}`,
      action: 'saves are written only into a real directory: point --dir or @resurrect-dir at one',
    };
  if (faults.includes('other-owner'))
    return {
      result: 'fail',
      what,
      detail: `${directory} belongs to uid ${info.uid}, not to you (${currentUser()})`,
      action: `chown ${currentUser()} ${directory}`,
    };
  const mode = info.mode & 0o777;
  // The owner's bits first: a 0500 directory keeps others out, and is no place for a save either
  // (root passes access(2) whatever the mode, so the bits are read, not probed).
  if ((mode & 0o300) !== 0o300)
    return {
      result: 'fail',
      what,
      detail: `${directory} is not writable (mode ${mode.toString(8).padStart(4, '0')})`,
      action: `chmod 700 ${directory}`,
    };
  // A writable directory open to others, or one whose owner cannot read it: never 0700.
  if (faults.includes('open-to-others') || mode !== 0o700)
    return {
      result: 'fail',
      what,
      detail: `${directory} has mode ${mode.toString(8).padStart(4, '0')}: others may read your sessions`,
      action: `chmod 700 ${directory}`,
    };
  const writable = await access(directory, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!writable)
    return { result: 'fail', what, detail: `${directory} is not writable`, action: `chmod 700 ${directory}` };
  return { result: 'ok', what, detail: `${directory} (yours, 0700, writable)` };
}
