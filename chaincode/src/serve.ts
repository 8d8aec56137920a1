// Chaincode-as-a-service: `npm run -w chaincode serve`. The peer connects to this gRPC server
// (fabric-shim server mode) instead of launching the chaincode itself.
//   CHAINCODE_ID              the package id the peer knows the chaincode by (label:hash), required
//   CHAINCODE_SERVER_ADDRESS  host:port to listen on, e.g. 0.0.0.0:9999, required
//   CHAINCODE_TLS_KEY_FILE, CHAINCODE_TLS_CERT_FILE, CHAINCODE_TLS_CLIENT_CACERT_FILE   optional TLS (PEM files)
//   CORE_CHAINCODE_LOGGING_LEVEL  default `warning` (see log-level.ts)
import './log-level';
import { readFileSync } from 'node:fs';
import { Shim, type ChaincodeServerOpts } from 'fabric-shim';
import { createChaincode } from './index';

export function serverOptions(env: NodeJS.ProcessEnv): ChaincodeServerOpts {
  const missing = ['CHAINCODE_ID', 'CHAINCODE_SERVER_ADDRESS'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(' and ')} must be set: CHAINCODE_ID is the chaincode package id (label:hash from 'peer lifecycle chaincode calculatepackageid'), CHAINCODE_SERVER_ADDRESS the host:port to listen on (e.g. 0.0.0.0:9999)`,
    );
  }
  const options = { ccid: env.CHAINCODE_ID!, address: env.CHAINCODE_SERVER_ADDRESS! } as ChaincodeServerOpts;
  const key = env.CHAINCODE_TLS_KEY_FILE;
  const cert = env.CHAINCODE_TLS_CERT_FILE;
  if (!key && !cert) return options;
  if (!key || !cert)
    throw new Error('CHAINCODE_TLS_KEY_FILE and CHAINCODE_TLS_CERT_FILE are set together, or neither');
  const ca = env.CHAINCODE_TLS_CLIENT_CACERT_FILE;
  options.tlsProps = {
    key: readFileSync(key),
    cert: readFileSync(cert),
    ...(ca ? { clientCACerts: readFileSync(ca) } : {}),
  } as ChaincodeServerOpts['tlsProps'];
  return options;
}

async function main(): Promise<void> {
  const options = serverOptions(process.env);
  const server = Shim.server(createChaincode(), options);
  await server.start();
  console.log(
    `approval-ledger chaincode ${options.ccid} listening on ${options.address}${options.tlsProps ? ' (TLS)' : ''}`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`chaincode server failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
