/**
 * Test chains in Fabric's block format: a genesis configuration block (the organisations' MSPs with their
 * root and intermediate CAs) and blocks of endorser transactions, each a protobuf `common.Envelope` signed by
 * its creator and endorsed as a Fabric peer endorses (signature over `proposal_response_payload ‖ endorser`).
 * Every block after block 0 is signed by the orderer as Fabric's block writer signs it: over
 * `Metadata.value ‖ signature_header ‖ BlockHeaderBytes(header)`, with `Metadata.value ‖ signature_header` sent
 * as the signature's `signedPrefix` (block 0, as configtxgen makes it, carries no signature).
 * Encoded with the protocol's small protobuf writer, which its tests hold to Fabric's generated encoders.
 * Keys and certificates are made at test time with WebCrypto (`ledger-builder.ts`).
 */
import {
  FABRIC_HEADER_TYPE,
  base64ToBytes,
  bytesField,
  bytesToBase64,
  concatBytes,
  fabricBlockHash,
  fabricBlockHeaderBytes,
  fabricDataHash,
  fabricProposalHash,
  fabricTransactionId,
  hexToBytes,
  lengthDelimitedField,
  protobufMessage,
  utf8Encode,
  varintField,
} from '@approval-ledger/protocol';
import {
  type BlockHeaderJson,
  type BlockJson,
  type LedgerSignatureJson,
  type TransactionJson,
} from '@approval-ledger/protocol/api';
import { type TestIdentity, createAuthority, issueIdentity, signBase64 } from './ledger-builder';

export const FABRIC_CHANNEL = 'approval';
/** Text inside the signed payload and inside the endorsed response, for tests that flip a byte there. */
export const PROPOSAL_MARKER = 'PROPOSAL-INPUT';
export const RESPONSE_MARKER = 'CHAINCODE-RESULT';

export interface FabricOrganisation {
  readonly mspId: string;
  readonly root: TestIdentity;
  readonly intermediate?: TestIdentity;
  readonly peer: TestIdentity;
  readonly client: TestIdentity;
}

/** The parts of an endorser transaction; `encodeFabricEnvelope` assembles them. */
export interface FabricTransactionParts {
  readonly channelHeader: Uint8Array;
  readonly signatureHeader: Uint8Array;
  readonly proposalPayload: Uint8Array;
  readonly responsePayload: Uint8Array;
  readonly endorsements: readonly { readonly endorser: Uint8Array; readonly signature: Uint8Array }[];
  /** The creator's signature over the payload. */
  readonly signature: Uint8Array;
}

export function serializedIdentityOf(identity: TestIdentity): Uint8Array {
  return protobufMessage(bytesField(1, identity.mspId), bytesField(2, utf8Encode(identity.certificate)));
}

async function signBytes(key: CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  return base64ToBytes(await signBase64(key, message));
}

/** `OrdererBlockMetadata { LastConfig last_config = 1; bytes consenter_metadata = 2; }`: Metadata.value. */
export function ordererBlockMetadata(lastConfig = 0): Uint8Array {
  return protobufMessage(
    lengthDelimitedField(1, protobufMessage(varintField(1, lastConfig))),
    bytesField(2, 'raft-consenter-metadata'),
  );
}

/**
 * An orderer's block signature as the hub sends it: `signedPrefix` = `Metadata.value ‖ SignatureHeader
 * { creator, nonce }`, the signature over `signedPrefix ‖ BlockHeaderBytes(header)`.
 */
export async function fabricBlockSignature(
  signer: TestIdentity,
  header: BlockHeaderJson,
  value: Uint8Array = ordererBlockMetadata(),
): Promise<LedgerSignatureJson> {
  const signatureHeader = protobufMessage(
    bytesField(1, serializedIdentityOf(signer)),
    bytesField(2, crypto.getRandomValues(new Uint8Array(24))),
  );
  const signedPrefix = concatBytes(value, signatureHeader);
  const headerBytes = fabricBlockHeaderBytes(
    header.number,
    hexToBytes(header.previousHash),
    hexToBytes(header.dataHash),
  );
  return {
    mspId: signer.mspId,
    certificate: signer.certificate,
    signature: await signBase64(signer.privateKey, concatBytes(signedPrefix, headerBytes)),
    signedPrefix: bytesToBase64(signedPrefix),
  };
}

/** `common.Payload` of an endorser transaction. */
export function fabricPayload(parts: Omit<FabricTransactionParts, 'signature'>): Uint8Array {
  const endorsed = protobufMessage(
    bytesField(1, parts.responsePayload),
    ...parts.endorsements.map((e) =>
      lengthDelimitedField(2, protobufMessage(bytesField(1, e.endorser), bytesField(2, e.signature))),
    ),
  );
  const actionPayload = protobufMessage(bytesField(1, parts.proposalPayload), bytesField(2, endorsed));
  const transaction = lengthDelimitedField(
    1,
    protobufMessage(bytesField(1, parts.signatureHeader), bytesField(2, actionPayload)),
  );
  const header = protobufMessage(bytesField(1, parts.channelHeader), bytesField(2, parts.signatureHeader));
  return protobufMessage(lengthDelimitedField(1, header), bytesField(2, transaction));
}

/** `common.Envelope { payload, signature }`. */
export function encodeFabricEnvelope(parts: FabricTransactionParts): Uint8Array {
  return protobufMessage(bytesField(1, fabricPayload(parts)), bytesField(2, parts.signature));
}

/** `ProposalResponsePayload { proposal_hash, extension }`. */
export function responsePayloadOf(proposalHash: Uint8Array, result = RESPONSE_MARKER): Uint8Array {
  return protobufMessage(bytesField(1, proposalHash), bytesField(2, utf8Encode(`ChaincodeAction ${result}`)));
}

/** One entry of a `map<string, message>` field. */
function mapEntry(field: number, key: string, value: Uint8Array): Uint8Array {
  return lengthDelimitedField(field, protobufMessage(bytesField(1, key), lengthDelimitedField(2, value)));
}

const GROUPS = 2;
const VALUES = 3;

function mspGroup(org: { mspId: string; roots: readonly string[]; intermediates: readonly string[] }) {
  const fabricMsp = protobufMessage(
    bytesField(1, org.mspId),
    ...org.roots.map((pem) => lengthDelimitedField(2, utf8Encode(pem))),
    ...org.intermediates.map((pem) => lengthDelimitedField(3, utf8Encode(pem))),
  );
  const mspConfig = protobufMessage(varintField(1, 0), bytesField(2, fabricMsp));
  const configValue = protobufMessage(bytesField(2, mspConfig), bytesField(3, 'Admins'));
  return protobufMessage(mapEntry(VALUES, 'MSP', configValue), bytesField(5, 'Admins'));
}

/** A Fabric chain: block 0 with the channel configuration, then blocks of endorser transactions. */
export class FabricTestLedger {
  readonly blocks: BlockJson[] = [];

  private constructor(
    readonly organisations: ReadonlyMap<string, FabricOrganisation>,
    readonly orderer: TestIdentity,
    readonly ordererCa: TestIdentity,
  ) {}

  /** BeijingMSP and TianjinMSP issue from their root CA; HebeiMSP from an intermediate CA under its root. */
  static async create(): Promise<FabricTestLedger> {
    const organisations = new Map<string, FabricOrganisation>();
    for (const [mspId, domain, intermediate] of [
      ['BeijingMSP', 'beijing.ledger.gov.cn', false],
      ['TianjinMSP', 'tianjin.ledger.gov.cn', false],
      ['HebeiMSP', 'hebei.ledger.gov.cn', true],
    ] as const) {
      const root = await createAuthority(mspId, domain);
      const issuer = intermediate ? await issueIdentity(root, `ica.${domain}`, 'ca') : root;
      organisations.set(mspId, {
        mspId,
        root,
        ...(intermediate ? { intermediate: issuer } : {}),
        peer: await issueIdentity(issuer, `peer0.${domain}`, 'peer'),
        client: await issueIdentity(issuer, `client.${domain}`, 'client'),
      });
    }
    const ordererCa = await createAuthority('OrdererMSP', 'orderer.ledger.gov.cn');
    const orderer = await issueIdentity(ordererCa, 'orderer0.orderer.ledger.gov.cn', 'orderer');
    const ledger = new FabricTestLedger(organisations, orderer, ordererCa);
    await ledger.#append([ledger.#genesisEnvelope()], 'config');
    return ledger;
  }

  organisation(mspId: string): FabricOrganisation {
    const org = this.organisations.get(mspId);
    if (!org) throw new Error(`no organisation ${mspId}`);
    return org;
  }

  #genesisEnvelope(): Uint8Array {
    const orgGroups = (group: string, orgs: { mspId: string; roots: string[]; intermediates: string[] }[]) =>
      mapEntry(GROUPS, group, protobufMessage(...orgs.map((o) => mapEntry(GROUPS, o.mspId, mspGroup(o)))));
    const application = orgGroups(
      'Application',
      [...this.organisations.values()].map((o) => ({
        mspId: o.mspId,
        roots: [o.root.certificate],
        intermediates: o.intermediate ? [o.intermediate.certificate] : [],
      })),
    );
    const orderer = orgGroups('Orderer', [
      { mspId: 'OrdererMSP', roots: [this.ordererCa.certificate], intermediates: [] },
    ]);
    const config = protobufMessage(
      lengthDelimitedField(2, protobufMessage(application, orderer, bytesField(5, 'Admins'))),
    );
    const configEnvelope = protobufMessage(lengthDelimitedField(1, config));
    const channelHeader = protobufMessage(
      varintField(1, FABRIC_HEADER_TYPE.CONFIG),
      bytesField(4, FABRIC_CHANNEL),
    );
    const payload = protobufMessage(
      lengthDelimitedField(1, protobufMessage(bytesField(1, channelHeader))),
      bytesField(2, configEnvelope),
    );
    return protobufMessage(bytesField(1, payload));
  }

  /** An endorser transaction by `creator`'s client, endorsed by the peers of `endorsers`, as its parts. */
  async transaction(
    creator: string,
    endorsers: readonly string[] = [creator],
    options: { readonly at?: number } = {},
  ): Promise<{ readonly txId: string; readonly parts: FabricTransactionParts }> {
    const client = this.organisation(creator).client;
    const creatorBytes = serializedIdentityOf(client);
    const nonce = crypto.getRandomValues(new Uint8Array(24));
    const txId = fabricTransactionId(nonce, creatorBytes);
    const at = options.at ?? Date.parse('2025-03-06T08:30:00Z');
    const timestamp = protobufMessage(
      varintField(1, Math.floor(at / 1000)),
      varintField(2, (at % 1000) * 1e6),
    );
    const channelHeader = protobufMessage(
      varintField(1, FABRIC_HEADER_TYPE.ENDORSER_TRANSACTION),
      lengthDelimitedField(3, timestamp),
      bytesField(4, FABRIC_CHANNEL),
      bytesField(5, txId),
    );
    const signatureHeader = protobufMessage(bytesField(1, creatorBytes), bytesField(2, nonce));
    const proposalPayload = utf8Encode(`ChaincodeProposalPayload ${PROPOSAL_MARKER} ${txId}`);
    const responsePayload = responsePayloadOf(
      fabricProposalHash(
        { channelHeaderBytes: channelHeader, signatureHeaderBytes: signatureHeader },
        { chaincodeProposalPayload: proposalPayload },
      ),
    );
    const endorsements = await Promise.all(
      endorsers.map(async (mspId) => {
        const peer = this.organisation(mspId).peer;
        const endorser = serializedIdentityOf(peer);
        const signature = await signBytes(peer.privateKey, concatBytes(responsePayload, endorser));
        return { endorser, signature };
      }),
    );
    const unsigned = { channelHeader, signatureHeader, proposalPayload, responsePayload, endorsements };
    const signature = await signBytes(client.privateKey, fabricPayload(unsigned));
    return { txId, parts: { ...unsigned, signature } };
  }

  /** Appends a block of these envelopes, signed by the orderer. */
  addBlock(
    transactions: readonly { readonly txId: string; readonly parts: FabricTransactionParts }[],
  ): Promise<BlockJson> {
    return this.#append(
      transactions.map((t) => encodeFabricEnvelope(t.parts)),
      'endorser',
      transactions.map((t) => t.txId),
    );
  }

  async #append(
    envelopes: readonly Uint8Array[],
    type: 'config' | 'endorser',
    txIds: readonly string[] = [],
  ): Promise<BlockJson> {
    const number = this.blocks.length;
    const previous = this.blocks[number - 1];
    const header = {
      number,
      previousHash: previous ? previous.hash : '00'.repeat(32),
      dataHash: fabricDataHash(envelopes),
    };
    const block: BlockJson = {
      ...header,
      hash: fabricBlockHash(header),
      dataHashScheme: 'fabric',
      signatures: number === 0 ? [] : [await fabricBlockSignature(this.orderer, header)],
      transactions: envelopes.map((envelope, txIndex) =>
        fabricTransactionJson(envelope, txIds[txIndex] ?? '', type, number, txIndex),
      ),
    };
    this.blocks.push(block);
    return block;
  }
}

/** A transaction as the hub sends one of a Fabric block (the summary fields the verifier does not rely on). */
export function fabricTransactionJson(
  envelope: Uint8Array,
  txId: string,
  type: 'config' | 'endorser',
  blockNumber = 1,
  txIndex = 0,
): TransactionJson {
  return {
    txId,
    blockNumber,
    txIndex,
    validationCode: 'VALID',
    timestamp: '2025-03-06T08:30:00.000000000Z',
    type,
    creator: null,
    chaincodeName: type === 'endorser' ? 'approval-ledger' : null,
    function: null,
    args: [],
    endorsements: [],
    event: null,
    envelopeBytes: envelope.length,
    envelope: bytesToBase64(envelope),
    records: [],
  };
}

/** `bytes` with the first occurrence of `marker` (UTF-8) changed in one bit. */
export function flipMarker(bytes: Uint8Array, marker: string): Uint8Array {
  const needle = utf8Encode(marker);
  for (let at = 0; at + needle.length <= bytes.length; at++) {
    if (needle.every((byte, i) => bytes[at + i] === byte)) {
      const out = bytes.slice();
      out[at] = (out[at] ?? 0) ^ 0x01;
      return out;
    }
  }
  throw new Error(`marker ${marker} not found`);
}
