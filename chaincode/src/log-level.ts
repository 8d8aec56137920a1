// The served chaincode logs warnings and errors unless told otherwise. fabric-contract-api and fabric-shim log
// every transaction and every call to the peer at `info` through winston (timestamps, metadata, colours): 13% of
// the samples of a CPU profile of the chaincode on a peer recording 500 milestones a transaction. Operators raise
// it with the standard CORE_CHAINCODE_LOGGING_LEVEL. Imported first by `serve.ts`, because both libraries read
// the variable when they are loaded.

/** What the chaincode's loggers run at: the environment's level, else `warning`. */
export function chaincodeLogLevel(env: NodeJS.ProcessEnv): string {
  return env.CORE_CHAINCODE_LOGGING_LEVEL || 'warning';
}

process.env.CORE_CHAINCODE_LOGGING_LEVEL = chaincodeLogLevel(process.env);
