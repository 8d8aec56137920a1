import { type AnvilNode, type AnvilOptions, startAnvil } from './anvil-node';
import { type MariaDbOptions, type MariaDbServer, startMariaDb } from './mariadb-server';
import { type NatsServer, type NatsServerOptions, startNatsServer } from './nats-server';

/** The part of mocha's hook context the helpers use. */
interface HookContext {
  timeout(ms: number): unknown;
}

type Hook = (this: HookContext) => Promise<void>;

interface MochaGlobals {
  before(hook: Hook): void;
  after(hook: Hook): void;
}

/** Extra time for a hook beyond the server's own start-up timeout. */
const HOOK_MARGIN_MS = 10_000;

/**
 * Inside a mocha `describe()`: start a nats-server in `before()` and stop it in `after()`.
 * Returns a getter for the running server.
 */
export function useNatsServer(options: NatsServerOptions = {}): () => NatsServer {
  return useServer('useNatsServer', () => startNatsServer(options), (options.startTimeoutMs ?? 15_000) * 2);
}

/**
 * Inside a mocha `describe()`: start a MariaDB server in `before()` and stop it in `after()`.
 * Returns a getter for the running server.
 */
export function useMariaDb(options: MariaDbOptions = {}): () => MariaDbServer {
  return useServer('useMariaDb', () => startMariaDb(options), (options.startTimeoutMs ?? 30_000) * 2);
}

/**
 * Inside a mocha `describe()`: start a local EVM node (anvil) in `before()` and stop it in `after()`.
 * Returns a getter for the running node.
 */
export function useAnvil(options: AnvilOptions = {}): () => AnvilNode {
  return useServer('useAnvil', () => startAnvil(options), (options.startTimeoutMs ?? 15_000) * 2);
}

function useServer<T extends { stop(): Promise<void> }>(
  helper: string,
  start: () => Promise<T>,
  startBudgetMs: number,
): () => T {
  const mocha = mochaGlobals(helper);
  let server: T | undefined;
  mocha.before(async function () {
    this.timeout(startBudgetMs + HOOK_MARGIN_MS);
    server = await start();
  });
  mocha.after(async function () {
    this.timeout(HOOK_MARGIN_MS * 3);
    await server?.stop();
    server = undefined;
  });
  return () => {
    if (server === undefined)
      throw new Error(`${helper}(): the server exists only between its before() and after() hooks`);
    return server;
  };
}

function mochaGlobals(helper: string): MochaGlobals {
  const globals = globalThis as Partial<MochaGlobals>;
  if (typeof globals.before !== 'function' || typeof globals.after !== 'function') {
    throw new Error(
      `${helper}() must be called inside a mocha describe() (mocha's before/after globals are missing)`,
    );
  }
  return globals as MochaGlobals;
}
