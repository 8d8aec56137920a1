/** `restart()` was called after `stop()`, which already removed the server's temporary directories. */
export class ServerStoppedError extends Error {
  override readonly name = 'ServerStoppedError';
  readonly code = 'SERVER_STOPPED';

  constructor(readonly server: string) {
    super(`${server} was stopped and its temporary data removed; start a new server instead of restart()`);
  }
}
