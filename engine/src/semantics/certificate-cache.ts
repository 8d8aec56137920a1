// fabric-shim's ClientIdentity parses the creator's X.509 certificate (with @fidm/x509) on every
// transaction. In-process, the same few certificates call again and again, so the embedded engine
// remembers each parse by the exact PEM text: ClientIdentity reads the parsed certificate (subject,
// issuer, extensions) and never changes it, so what it derives is the same. Bounded; only loaded by
// the in-process simulation, never by chaincode a peer runs.
import { dirname } from 'node:path';

interface CertificateClass {
  fromPEM(data: string | Buffer): object;
}

const LIMIT = 1000;
const parsed = new Map<string, object>();
let installed = false;

function shimCertificateClass(): CertificateClass {
  // the very module instance fabric-shim's ClientIdentity uses
  const path = require.resolve('@fidm/x509', { paths: [dirname(require.resolve('fabric-shim'))] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time, next to fabric-shim
  return (require(path) as { Certificate: CertificateClass }).Certificate;
}

/** Makes `Certificate.fromPEM` remember its result per PEM text (at most {@link LIMIT}); idempotent. */
export function rememberParsedCertificates(): void {
  if (installed) return;
  installed = true;
  const Certificate = shimCertificateClass();
  const parse = Certificate.fromPEM.bind(Certificate);
  Certificate.fromPEM = (data: string | Buffer): object => {
    if (typeof data !== 'string') return parse(data);
    let certificate = parsed.get(data);
    if (!certificate) {
      certificate = parse(data);
      if (parsed.size >= LIMIT) parsed.clear();
      parsed.set(data, certificate);
    }
    return certificate;
  };
}

/** How many parsed certificates are remembered (for tests). */
export function rememberedCertificateCount(): number {
  return parsed.size;
}
