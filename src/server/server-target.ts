/** Which multiplexer server to talk to, as tmux itself would pick it. */
export type ServerTarget =
  | { readonly kind: 'socket-name'; readonly name: string }
  | { readonly kind: 'socket-path'; readonly path: string }
  /** Neither -L nor -S: tmux uses $TMUX when run inside tmux, else the default socket. */
  | { readonly kind: 'inherited'; readonly tmuxEnvironment: string | undefined };

export function resolveServerTarget(
  options: { socketName?: string | undefined; socketPath?: string | undefined },
  environment: NodeJS.ProcessEnv,
): ServerTarget {
  if (options.socketPath) return { kind: 'socket-path', path: options.socketPath };
  if (options.socketName) return { kind: 'socket-name', name: options.socketName };
  return { kind: 'inherited', tmuxEnvironment: environment.TMUX || undefined };
}

/** The arguments that select the server, placed before every tmux command. */
export function serverArguments(target: ServerTarget): string[] {
  switch (target.kind) {
    case 'socket-name':
      return ['-L', target.name];
    case 'socket-path':
      return ['-S', target.path];
    case 'inherited': {
      // $TMUX is "socket_path,server_pid,session_index"; naming the socket explicitly keeps a
      // child that changes its environment on the same server.
      const socketPath = target.tmuxEnvironment?.split(',')[0];
      return socketPath ? ['-S', socketPath] : [];
    }
  }
}

/** A short human name for messages: `-L work`, `-S /path`, or `the default server`. */
export function describeServerTarget(target: ServerTarget): string {
  const args = serverArguments(target);
  return args.length > 0 ? `socket ${args.join(' ')}` : 'the default socket';
}
