// @approval-ledger/testkit: real nats-server and MariaDB servers from Debian's packages, on free ports in
// temp dirs, for test suites and for `npm start`'s local NATS.
export {
  anvilArgs,
  anvilBinary,
  type AnvilNode,
  type AnvilOptions,
  DEFAULT_ANVIL_CHAIN_ID,
  rpcChainId,
  startAnvil,
} from './anvil-node';
export { BinaryNotFoundError } from './binary-not-found.error';
export { binarySearchPath, findBinary, requireBinary } from './binaries';
export { freePort, isPortFree } from './free-port';
export { type MariaDbOptions, type MariaDbServer, startMariaDb } from './mariadb-server';
export { useAnvil, useMariaDb, useNatsServer } from './mocha-hooks';
export { type NatsServer, type NatsServerOptions, startNatsServer } from './nats-server';
export {
  FABRIC_FIXTURES_DIR,
  fabricManifest,
  fabricManifestEntry,
  readFabricFixture,
} from './fabric-fixtures';
export { whenOrphaned } from './parent-watch';
export { type ProcessExit } from './process-supervisor';
export { ServerCommandError } from './server-command.error';
export { type LocalServer } from './server-process';
export { type ServerStartFailure, ServerStartError } from './server-start.error';
export { ServerStoppedError } from './server-stopped.error';
