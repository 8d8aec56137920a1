import { type ProcessExit } from './process-supervisor';

/** Why a server did not come up: it exited, it was not ready in time, or its data dir could not be set up. */
export type ServerStartFailure = 'exited' | 'timeout' | 'init-failed';

/** A server did not become ready. `logTail` holds the last lines it wrote, also quoted in the message. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  readonly code = 'SERVER_START_FAILED';
  readonly exit: ProcessExit | undefined;

  constructor(
    readonly server: string,
    readonly reason: ServerStartFailure,
    detail: string,
    readonly logTail: string,
    options: { exit?: ProcessExit; cause?: unknown } = {},
  ) {
    super(`${server} failed to start (${reason}): ${detail}\n--- last lines of its log ---\n${logTail}`, {
      cause: options.cause,
    });
    this.exit = options.exit;
  }

  /** The port was taken between choosing it and the server binding it. */
  get portInUse(): boolean {
    return /address already in use/i.test(this.logTail);
  }
}
