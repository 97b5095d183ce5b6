import { createConnection } from 'node:net';

/**
 * Whether a process accepts connections on the unix socket at `path` within `deadlineMilliseconds`.
 * A stale socket file (its server gone) refuses at once; nothing is sent, so nothing is asked of
 * whoever listens.
 */
export function socketAccepts(path: string, deadlineMilliseconds = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    const finish = (accepted: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(accepted);
    };
    const timer = setTimeout(() => finish(false), deadlineMilliseconds);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
