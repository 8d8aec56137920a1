/**
 * Test vectors made the way the embedded ledger makes them (the protocol package's block-format):
 * P-256 CAs and node certificates, signed transaction envelopes, blocks chained by header hash with RFC 6962
 * data hashes and orderer signatures, and proof bundles. WebCrypto only, so it runs in Vitest, in Node (the
 * e2e fixture API bundles it) and in a browser.
 */
import {
  type ChannelConfigJson,
  type ConfigTransactionJson,
  EMBEDDED_BLOCK_FORMAT,
  type EndorserTransactionJson,
  type TransactionJson as TransactionJsonEnvelope,
  X509_OID,
  ZERO_HASH,
  bytesToBase64,
  bytesToHex,
  canonicalize,
  commitment as commitmentOf,
  concatBytes,
  derEncode,
  derInteger,
  derSequence,
  ecdsaP1363ToLowSDer,
  headerText,
  inclusionProof,
  merkleRoot,
  serializedIdentity,
  sha256Hex,
  utf8Encode,
} from '@approval-ledger/protocol';
import {
  type BlockJson,
  type ChaincodeEvent,
  type LedgerSignatureJson,
  type ProofBundle,
  type TransactionJson,
} from '@approval-ledger/protocol/api';

/** DER tags and name attribute OIDs the certificates made here use. */
const DER_TAG = { OID: 0x06, UTF8_STRING: 0x0c, UTC_TIME: 0x17, SET: 0x31, BIT_STRING: 0x03 } as const;
const OID = {
  ...X509_OID,
  country: '2.5.4.6',
  organisation: '2.5.4.10',
  organisationalUnit: '2.5.4.11',
  commonName: '2.5.4.3',
} as const;

const KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN_ALGORITHM: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

export interface TestIdentity {
  readonly mspId: string;
  readonly certificate: string;
  readonly privateKey: CryptoKey;
  readonly subject: string;
}

function derOid(dotted: string): Uint8Array {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [a * 40 + b];
  for (const part of rest) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return derEncode(DER_TAG.OID, new Uint8Array(bytes));
}

const NAME_OIDS: Readonly<Record<string, string>> = {
  C: OID.country,
  O: OID.organisation,
  OU: OID.organisationalUnit,
  CN: OID.commonName,
};

/** DER Name of `C=CN, O=…, CN=…` (values as UTF8String). */
function derName(dn: string): Uint8Array {
  const rdns = dn.split(', ').map((part) => {
    const [type = '', value = ''] = part.split('=');
    const oid = NAME_OIDS[type];
    if (!oid) throw new Error(`unknown name attribute ${type}`);
    return derEncode(
      DER_TAG.SET,
      derSequence(derOid(oid), derEncode(DER_TAG.UTF8_STRING, utf8Encode(value))),
    );
  });
  return derSequence(...rdns);
}

function utcTime(date: Date): Uint8Array {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return derEncode(DER_TAG.UTC_TIME, utf8Encode(text));
}

function toPem(der: Uint8Array): string {
  const lines = bytesToBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A low-S DER ECDSA P-256/SHA-256 signature, base64. */
export async function signBase64(key: CryptoKey, message: Uint8Array): Promise<string> {
  const raw = new Uint8Array(await crypto.subtle.sign(SIGN_ALGORITHM, key, message as BufferSource));
  return bytesToBase64(ecdsaP1363ToLowSDer(raw));
}

let serial = 1000;

async function makeCertificate(
  subject: string,
  issuer: { subject: string; privateKey: CryptoKey } | undefined,
  keys: CryptoKeyPair,
): Promise<string> {
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const algorithm = derSequence(derOid(OID.ecdsaWithSha256));
  const tbs = derSequence(
    derEncode(0xa0, derInteger(2)),
    derInteger(serial++),
    algorithm,
    derName(issuer?.subject ?? subject),
    derSequence(utcTime(new Date('2025-01-01T00:00:00Z')), utcTime(new Date('2045-01-01T00:00:00Z'))),
    derName(subject),
    spki,
  );
  const signer = issuer?.privateKey ?? keys.privateKey;
  const raw = new Uint8Array(await crypto.subtle.sign(SIGN_ALGORITHM, signer, tbs as BufferSource));
  const signature = concatBytes(new Uint8Array([0]), ecdsaP1363ToLowSDer(raw));
  return toPem(derSequence(tbs, algorithm, derEncode(DER_TAG.BIT_STRING, signature)));
}

/** A self-signed organisation CA. */
export async function createAuthority(mspId: string, domain: string): Promise<TestIdentity> {
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, false, ['sign', 'verify']);
  const subject = `C=CN, O=${domain}, CN=ca.${domain}`;
  return {
    mspId,
    subject,
    privateKey: keys.privateKey,
    certificate: await makeCertificate(subject, undefined, keys),
  };
}

/** A node or client identity issued by `ca`. */
export async function issueIdentity(ca: TestIdentity, name: string, role: string): Promise<TestIdentity> {
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, false, ['sign', 'verify']);
  const domain = /O=([^,]+)/.exec(ca.subject)?.[1] ?? 'example';
  const subject = `C=CN, O=${domain}, OU=${role}, CN=${name}`;
  return {
    mspId: ca.mspId,
    subject,
    privateKey: keys.privateKey,
    certificate: await makeCertificate(subject, ca, keys),
  };
}

export interface Organisation {
  readonly region: string;
  readonly ca: TestIdentity;
  readonly peer: TestIdentity;
  readonly client: TestIdentity;
}

export interface TestTransaction {
  /** Organisation (by MSP ID) of the client that submits. */
  readonly creator: string;
  readonly fn: string;
  readonly args: readonly string[];
  /** State writes; values are JSON (stored as canonical JSON). */
  readonly writes: readonly { readonly key: string; readonly value: unknown }[];
  /** MSP IDs of the endorsing organisations; default: the creator's. */
  readonly endorsers?: readonly string[];
  readonly eventName?: string;
  /** The chaincode event's payload (JSON), from the transaction id; default `{}`. */
  readonly eventPayload?: (txId: string) => unknown;
  readonly validationCode?: string;
  /** Proposal time, epoch milliseconds. */
  readonly at?: number;
  /** The chaincode's response payload (JSON), from the transaction id; default `{}`. */
  readonly response?: (txId: string) => unknown;
}

interface StoredTransaction {
  readonly text: string;
  readonly json: TransactionJson;
}

const ORGS: readonly (readonly [string, string, string])[] = [
  ['BJ', 'BeijingMSP', 'beijing.ledger.gov.cn'],
  ['TJ', 'TianjinMSP', 'tianjin.ledger.gov.cn'],
  ['HE', 'HebeiMSP', 'hebei.ledger.gov.cn'],
];

/** A whole test chain: block 0 with the channel configuration, then blocks of signed transactions. */
export class TestLedger {
  readonly blocks: BlockJson[] = [];
  readonly #transactions: StoredTransaction[][] = [];

  private constructor(
    readonly organisations: ReadonlyMap<string, Organisation>,
    readonly ordererCa: TestIdentity,
    readonly orderer: TestIdentity,
    readonly config: ChannelConfigJson,
  ) {}

  static async create(genesisAt = Date.parse('2025-03-01T00:00:00Z')): Promise<TestLedger> {
    const organisations = new Map<string, Organisation>();
    for (const [region, mspId, domain] of ORGS) {
      const ca = await createAuthority(mspId, domain);
      const peer = await issueIdentity(ca, `peer0.${domain}`, 'peer');
      const client = await issueIdentity(ca, `client.${domain}`, 'client');
      organisations.set(mspId, { region, ca, peer, client });
    }
    const ordererCa = await createAuthority('OrdererMSP', 'orderer.ledger.gov.cn');
    const orderer = await issueIdentity(ordererCa, 'orderer0.orderer.ledger.gov.cn', 'orderer');
    const config: ChannelConfigJson = {
      format: EMBEDDED_BLOCK_FORMAT,
      channel: 'approval',
      chaincode: 'approval-ledger',
      organisations: [...organisations].map(([mspId, o]) => ({
        mspId,
        region: o.region,
        caCertificate: o.ca.certificate,
        peerCertificate: o.peer.certificate,
      })),
      orderer: {
        mspId: 'OrdererMSP',
        caCertificate: ordererCa.certificate,
        certificate: orderer.certificate,
      },
    };
    const ledger = new TestLedger(organisations, ordererCa, orderer, config);
    await ledger.#appendGenesis(genesisAt);
    return ledger;
  }

  organisation(mspId: string): Organisation {
    const org = this.organisations.get(mspId);
    if (!org) throw new Error(`no organisation ${mspId}`);
    return org;
  }

  async #appendGenesis(at: number): Promise<void> {
    const timestamp = { seconds: Math.floor(at / 1000), nanos: 0 };
    const envelope: ConfigTransactionJson = {
      type: 'config',
      txId: sha256Hex(canonicalize(this.config)),
      timestamp,
      config: this.config,
    };
    const text = canonicalize(envelope);
    await this.#appendBlock([
      {
        text,
        json: {
          txId: envelope.txId,
          blockNumber: 0,
          txIndex: 0,
          validationCode: 'VALID',
          timestamp: new Date(at).toISOString(),
          type: 'config',
          creator: null,
          chaincodeName: null,
          function: null,
          args: [],
          endorsements: [],
          event: null,
          envelopeBytes: utf8Encode(text).length,
          envelope: bytesToBase64(utf8Encode(text)),
          records: [],
        },
      },
    ]);
  }

  /** Appends a block holding these transactions, signed and endorsed as the embedded ledger does. */
  async addBlock(transactions: readonly TestTransaction[]): Promise<BlockJson> {
    const number = this.blocks.length;
    const stored: StoredTransaction[] = [];
    for (const [index, tx] of transactions.entries()) stored.push(await this.#endorse(tx, number, index));
    return this.#appendBlock(stored);
  }

  async #endorse(tx: TestTransaction, blockNumber: number, txIndex: number): Promise<StoredTransaction> {
    const creator = this.organisation(tx.creator).client;
    const nonce = crypto.getRandomValues(new Uint8Array(24));
    const at = tx.at ?? Date.parse('2025-03-06T08:30:00Z') + blockNumber * 60_000 + txIndex * 1000;
    const txId = sha256Hex(concatBytes(nonce, serializedIdentity(creator.mspId, creator.certificate)));
    const proposal = {
      channel: 'approval',
      chaincode: 'approval-ledger',
      txId,
      nonce: bytesToBase64(nonce),
      timestamp: { seconds: Math.floor(at / 1000), nanos: (at % 1000) * 1_000_000 },
      creator: { mspId: creator.mspId, certificate: creator.certificate },
      function: tx.fn,
      args: [...tx.args],
    };
    const proposalText = canonicalize(proposal);
    const payload = canonicalize(tx.response?.(txId) ?? {});
    const response = { status: 200, message: '', payload: bytesToBase64(utf8Encode(payload)) };
    const rwset = {
      reads: [],
      rangeQueries: [],
      writes: tx.writes.map((w) => ({
        key: w.key,
        isDelete: false,
        value: bytesToBase64(utf8Encode(canonicalize(w.value))),
      })),
      metadataWrites: [],
    };
    const eventPayload = tx.eventPayload?.(txId) ?? {};
    const event = tx.eventName
      ? { name: tx.eventName, payload: bytesToBase64(utf8Encode(canonicalize(eventPayload))) }
      : null;
    const responseHash = sha256Hex(
      canonicalize({ proposalHash: sha256Hex(proposalText), response, rwset, event }),
    );
    const endorsements = await Promise.all(
      [...new Set(tx.endorsers ?? [tx.creator])].sort().map(async (mspId) => {
        const peer = this.organisation(mspId).peer;
        const endorser = { mspId, certificate: peer.certificate };
        const message = utf8Encode(canonicalize({ endorser, responseHash }));
        return { ...endorser, signature: await signBase64(peer.privateKey, message) };
      }),
    );
    const envelope: EndorserTransactionJson = {
      type: 'endorser',
      proposal,
      creatorSignature: await signBase64(creator.privateKey, utf8Encode(proposalText)),
      response,
      rwset,
      event,
      endorsements,
    };
    const text = canonicalize(envelope);
    return {
      text,
      json: {
        txId,
        blockNumber,
        txIndex,
        validationCode: tx.validationCode ?? 'VALID',
        timestamp: new Date(at).toISOString().replace('Z', '000000Z'),
        type: 'endorser',
        creator: { mspId: creator.mspId, certificate: creator.certificate },
        chaincodeName: 'approval-ledger',
        function: tx.fn,
        args: [...tx.args],
        endorsements: endorsements satisfies LedgerSignatureJson[],
        // the decoded event, as the hub's block JSON shows it (the verifier reads the envelope's bytes)
        event: event ? ({ name: event.name, payload: eventPayload } as unknown as ChaincodeEvent) : null,
        envelopeBytes: utf8Encode(text).length,
        envelope: bytesToBase64(utf8Encode(text)),
        records: [],
      },
    };
  }

  async #appendBlock(transactions: readonly StoredTransaction[]): Promise<BlockJson> {
    const number = this.blocks.length;
    const previous = this.blocks[number - 1];
    const header = {
      number,
      previousHash: previous ? previous.hash : ZERO_HASH,
      dataHash: bytesToHex(merkleRoot(transactions.map((t) => utf8Encode(t.text)))),
    };
    const text = headerText(header);
    const block: BlockJson = {
      ...header,
      hash: sha256Hex(text),
      dataHashScheme: 'rfc6962',
      signatures: [
        {
          mspId: this.orderer.mspId,
          certificate: this.orderer.certificate,
          signature: await signBase64(this.orderer.privateKey, utf8Encode(text)),
        },
      ],
      transactions: transactions.map((t) => t.json),
    };
    this.blocks.push(block);
    this.#transactions.push([...transactions]);
    return block;
  }

  /** The envelope JSON of a transaction, parsed. */
  envelope(blockNumber: number, txIndex: number): TransactionJsonEnvelope {
    const tx = this.#transactions[blockNumber]?.[txIndex];
    if (!tx) throw new Error(`no transaction ${blockNumber}/${txIndex}`);
    return JSON.parse(tx.text) as TransactionJsonEnvelope;
  }

  /** The orderer-signed header of a block, as proof bundles carry it. */
  signedHeader(blockNumber: number): ProofBundle['chain'][number] {
    const block = this.blocks[blockNumber];
    const signature = block?.signatures[0];
    if (!block || !signature) throw new Error(`no block ${blockNumber}`);
    return {
      number: block.number,
      previousHash: block.previousHash,
      dataHash: block.dataHash,
      signature: signature.signature,
    };
  }

  /**
   * The `approval-ledger/proof@1` bundle (protocol's format) of the record written by transaction `txIndex` of
   * block `blockNumber`, with the signed header chain from that block to the newest.
   */
  proofBundle(
    blockNumber: number,
    txIndex: number,
    record: ProofBundle['record'],
    query?: string,
  ): ProofBundle {
    const transactions = this.#transactions[blockNumber];
    const tx = transactions?.[txIndex];
    const genesis = this.#transactions[0]?.[0];
    if (!transactions || !tx || !genesis) throw new Error(`no transaction ${blockNumber}/${txIndex}`);
    const leaves = transactions.map((t) => utf8Encode(t.text));
    return {
      format: 'approval-ledger/proof@1',
      createdAt: new Date().toISOString(),
      ledger: {
        blockFormat: EMBEDDED_BLOCK_FORMAT,
        genesis: { header: this.signedHeader(0), configEnvelope: genesis.text },
      },
      ...(query ? { query: { sha256: query } } : {}),
      record,
      transaction: {
        txId: tx.json.txId,
        blockNumber,
        txIndex,
        validationCode: tx.json.validationCode,
        envelope: tx.text,
        inclusion: {
          treeSize: transactions.length,
          path: inclusionProof(txIndex, leaves).map((h) => bytesToHex(h)),
        },
      },
      chain: this.blocks.slice(blockNumber).map((b) => this.signedHeader(b.number)),
    };
  }
}

/** Re-exported for fixtures that need a commitment without importing the protocol package themselves. */
export const commitment = commitmentOf;
