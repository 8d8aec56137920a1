/**
 * The explorer's chain verifier: a thin adapter of the protocol package's verification core to the browser.
 * The core decides (block rules: header hash, link, data hash, orderer signatures; transaction rules of both
 * engines: id, creator, endorsements; proof bundles); WebCrypto's ECDSA P-256 is the crypto suite it runs
 * with (`webCryptoSuite`), asynchronously. A chain whose block 0 names the 国密 suite (`gm`) is hashed with SM3
 * and its SM2 signatures are checked with the protocol's JavaScript SM2 (`jsGmSuite`: WebCrypto has neither),
 * the same code the hub runs. This file only reads the hub's JSON (base64 envelopes, block 0's configuration)
 * and adds the writes a page shows.
 */
import {
  type AsyncCryptoSuite,
  BLOCK_CHECKS,
  type Check,
  type ChannelTrust,
  type EndorserTransactionJson,
  TRANSACTION_CHECKS,
  type X509CertificateInfo,
  base64ToBytes,
  certificateIssuedBy as certificateIssuedByRule,
  certificateOf,
  dataHashCheck,
  decodeFabricChannelConfig,
  decodeFabricEnvelope,
  ecdsaDerToP1363,
  fabricBlockHash,
  failed,
  headerHashCheck,
  headerHashOf,
  jsGmSuite,
  ordererSignatures,
  parseTransactionEnvelope,
  previousLinkCheck,
  runAsync,
  transactionEnvelope,
  trustOfConfig,
  trustOfFabricConfig,
  unchecked,
  unreadableTransaction,
  verifyProofBundleAsync,
  PROOF_BUNDLE_V2_FORMAT,
  type CryptoSuite,
  type ProofVerdict,
  type SuiteAlgorithms,
  type VerifiableProofBundle,
  type VerifyProofOptions,
} from '@approval-ledger/protocol';
import {
  type BlockHeaderJson,
  type BlockJson,
  type BlockTransactionJson,
} from '@approval-ledger/protocol/api';
import {
  type BlockCheck,
  type ChainVerifier,
  type TransactionCheck,
  type WriteSummary,
  passed,
} from './chain-verifier';

const ECDSA_P256: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SHA256: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const NO_WEBCRYPTO = 'WebCrypto is not available here (the page must be served over HTTPS or localhost)';
const NO_ENVELOPE = 'the hub sent no transaction envelope, so nothing signed could be re-checked here';
const PREVIEW_CHARS = 160;

/** A copy backed by a plain ArrayBuffer, as WebCrypto's `BufferSource` wants it. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** The core's `intl` suite on WebCrypto: ECDSA P-256 / SHA-256, keys imported once per certificate. */
export function webCryptoSuite(): AsyncCryptoSuite {
  const keys = new WeakMap<X509CertificateInfo, Promise<CryptoKey>>();
  const keyOf = (signer: X509CertificateInfo): Promise<CryptoKey> => {
    let key = keys.get(signer);
    if (!key) {
      key = globalThis.crypto.subtle.importKey('spki', bufferSource(signer.spki), ECDSA_P256, false, [
        'verify',
      ]);
      keys.set(signer, key);
    }
    return key;
  };
  return {
    name: 'intl',
    get unavailable() {
      return globalThis.crypto?.subtle ? undefined : NO_WEBCRYPTO;
    },
    async verify({ signer, message, signature }) {
      try {
        return await globalThis.crypto.subtle.verify(
          ECDSA_SHA256,
          await keyOf(signer),
          bufferSource(ecdsaDerToP1363(signature)),
          bufferSource(message),
        );
      } catch {
        return false;
      }
    },
  };
}

const suite = webCryptoSuite();

/** The signature verifier of a chain: SM2 in JavaScript for a `gm` chain, WebCrypto's P-256 otherwise. */
function verifierOf(trust: ChannelTrust | undefined): CryptoSuite {
  return trust?.suite?.name === 'gm' ? jsGmSuite : suite;
}

/** The explorer checks chains and proofs of both suites, and shows which one it checked. */
const ACCEPTED_SUITES = ['intl', 'gm'] as const;

/** Fabric's block header hash (the protocol's `fabricBlockHash`), kept under the name pages and tests use. */
export const fabricHeaderHash = fabricBlockHash;

/** The core's certificate-issuance rule: WebCrypto for a P-256 CA, JavaScript SM2 for an SM2 (国密) one. */
export function certificateIssuedBy(certificatePem: string, caPem: string): Promise<Check> {
  let curve: string | undefined;
  try {
    curve = certificateOf(caPem).keyCurve;
  } catch {
    curve = undefined; // the rule says why the CA certificate cannot be read
  }
  const rule = certificateIssuedByRule('certificate.issuer', certificatePem, caPem);
  return runAsync(rule, curve === 'SM2' ? jsGmSuite : suite);
}

/** The UTF-8 text of base64-encoded bytes (fatal on invalid UTF-8). */
function base64ToText(text: string): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(base64ToBytes(text));
}

function fabricChannelTrust(genesis: BlockJson): ChannelTrust | undefined {
  const first = genesis.transactions[0];
  if (first?.envelope === undefined) return undefined;
  try {
    return trustOfFabricConfig(
      decodeFabricChannelConfig(decodeFabricEnvelope(base64ToBytes(first.envelope))),
    );
  } catch {
    return undefined;
  }
}

function writesOf(envelope: EndorserTransactionJson): WriteSummary[] {
  return envelope.rwset.writes.map((w) => {
    let preview: string;
    try {
      preview = base64ToText(w.value);
    } catch {
      preview = `(${base64ToBytes(w.value).length} bytes)`;
    }
    return {
      key: w.key,
      isDelete: w.isDelete,
      preview: preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS)}…` : preview,
    };
  });
}

/** The writes of an embedded endorser envelope, for display (none for Fabric or configuration envelopes). */
function displayedWrites(bytes: Uint8Array): WriteSummary[] {
  if (bytes[0] !== 0x7b) return [];
  try {
    const envelope = parseTransactionEnvelope(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return envelope?.type === 'endorser' ? writesOf(envelope) : [];
  } catch {
    return [];
  }
}

export class WebCryptoChainVerifier implements ChainVerifier {
  channelTrust(genesis: BlockJson): ChannelTrust | undefined {
    if (genesis.dataHashScheme === 'fabric') return fabricChannelTrust(genesis);
    const first = genesis.transactions[0];
    try {
      const envelope = first?.envelope && parseTransactionEnvelope(base64ToText(first.envelope));
      return envelope && envelope.type === 'config' ? trustOfConfig(envelope.config) : undefined;
    } catch {
      return undefined;
    }
  }

  headerHash(
    header: BlockHeaderJson,
    scheme: BlockJson['dataHashScheme'],
    chainSuite?: SuiteAlgorithms,
  ): string {
    return headerHashOf(header, scheme, chainSuite);
  }

  async verifyBlock(
    block: BlockJson,
    context: { readonly trust?: ChannelTrust; readonly previous?: BlockHeaderJson },
  ): Promise<BlockCheck> {
    const scheme = block.dataHashScheme;
    const chainSuite = context.trust?.suite;
    const headerHash = headerHashCheck(block, block.hash, scheme, chainSuite);
    const dataHash = block.transactions.some((tx) => tx.envelope === undefined)
      ? unchecked(BLOCK_CHECKS.dataHash, NO_ENVELOPE)
      : this.#dataHash(block, chainSuite);
    const previousLink = previousLinkCheck(block, context.previous, scheme, chainSuite);
    const [ordererSignature, transactions] = await Promise.all([
      runAsync(ordererSignatures(block, block.signatures, context.trust, scheme), verifierOf(context.trust)),
      Promise.all(block.transactions.map((tx) => this.verifyTransaction(tx, context.trust))),
    ]);
    const ok =
      [headerHash, dataHash, previousLink, ordererSignature].every(passed) && transactions.every((t) => t.ok);
    return { number: block.number, headerHash, dataHash, previousLink, ordererSignature, transactions, ok };
  }

  /** An envelope of either engine, by the core's rules; one that reads as neither fails, saying why. */
  async verifyTransaction(
    tx: BlockTransactionJson,
    trust: ChannelTrust | undefined,
  ): Promise<TransactionCheck> {
    if (tx.envelope === undefined) {
      return {
        ...unreadableTransaction(tx.txId, unchecked(TRANSACTION_CHECKS.envelope, NO_ENVELOPE)),
        writes: [],
      };
    }
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(tx.envelope);
    } catch {
      return {
        ...unreadableTransaction(tx.txId, failed(TRANSACTION_CHECKS.envelope, 'the envelope is not base64')),
        writes: [],
      };
    }
    const verdict = await runAsync(transactionEnvelope(bytes, tx.txId, trust), verifierOf(trust));
    return { ...verdict, writes: displayedWrites(bytes) };
  }

  /**
   * The protocol's offline verifier, asked about the hash the user asked about (whatever the bundle says); a
   * Fabric bundle's signatures (creator, endorsers, orderers) are checked with WebCrypto. Bundles of both suites
   * are accepted; the verdict's `suite` says which one the ledger's hashes and signatures were checked under.
   */
  verifyProofBundle(
    bundle: VerifiableProofBundle,
    sha256: string,
    pinned: VerifyProofOptions = {},
  ): Promise<ProofVerdict> {
    // the hash asked about goes with the record: in a v2 bundle that is its evidence
    const asked =
      bundle.format === PROOF_BUNDLE_V2_FORMAT
        ? { ...bundle, evidence: { ...bundle.evidence, query: { sha256 } } }
        : { ...bundle, query: { sha256 } };
    return verifyProofBundleAsync(asked, suite, { acceptedSuites: ACCEPTED_SUITES, ...pinned });
  }

  #dataHash(block: BlockJson, chainSuite: SuiteAlgorithms | undefined): Check {
    try {
      const envelopes = block.transactions.map((tx) => base64ToBytes(tx.envelope ?? ''));
      return dataHashCheck(envelopes, block.dataHash, block.dataHashScheme, chainSuite);
    } catch (error) {
      return failed(BLOCK_CHECKS.dataHash, `the envelopes could not be read: ${String(error)}`);
    }
  }
}
