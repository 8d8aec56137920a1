/**
 * Fabric transaction envelopes, read with the small protobuf reader for what a signature check needs, with
 * Fabric's field numbers (fabric-protos: common/common.proto, common/configtx.proto, msp/identities.proto,
 * msp/msp_config.proto, peer/transaction.proto, peer/proposal_response.proto):
 *
 * - `Envelope { bytes payload = 1; bytes signature = 2; }`: the creator signs the payload bytes;
 * - `Payload { Header header = 1; bytes data = 2; }`, `Header { bytes channel_header = 1; bytes
 *   signature_header = 2; }`, `ChannelHeader { int32 type = 1; Timestamp timestamp = 3; string channel_id = 4;
 *   string tx_id = 5; }`, `SignatureHeader { bytes creator = 1; bytes nonce = 2; }`;
 * - `SerializedIdentity { string mspid = 1; bytes id_bytes = 2; }` (id_bytes: the PEM certificate);
 * - for ENDORSER_TRANSACTION, `Transaction { repeated TransactionAction actions = 1; }`,
 *   `TransactionAction { bytes header = 1; bytes payload = 2; }`, `ChaincodeActionPayload { bytes
 *   chaincode_proposal_payload = 1; ChaincodeEndorsedAction action = 2; }`, `ChaincodeEndorsedAction { bytes
 *   proposal_response_payload = 1; repeated Endorsement endorsements = 2; }`, `Endorsement { bytes endorser = 1;
 *   bytes signature = 2; }`, `ProposalResponsePayload { bytes proposal_hash = 1; bytes extension = 2; }`:
 *   each endorser signs `proposal_response_payload ‖ endorser`;
 * - for CONFIG, `ConfigEnvelope { Config config = 1; }`, `Config { uint64 sequence = 1; ConfigGroup
 *   channel_group = 2; }`, `ConfigGroup { map<string, ConfigGroup> groups = 2; map<string, ConfigValue> values
 *   = 3; }`, `ConfigValue { bytes value = 2; }`, `MSPConfig { int32 type = 1; bytes config = 2; }`,
 *   `FabricMSPConfig { string name = 1; repeated bytes root_certs = 2; repeated bytes intermediate_certs = 3; }`.
 *
 * Everything throws {@link ProtobufError} on malformed bytes.
 */
import { sha256, sha256Hex } from '../sha256.js';
import { concatBytes } from './der-writer.js';
import { ProtobufError, ProtobufMessage } from './protobuf-reader.js';

/** Fabric's `common.HeaderType`. */
export const FABRIC_HEADER_TYPE = {
  MESSAGE: 0,
  CONFIG: 1,
  CONFIG_UPDATE: 2,
  ENDORSER_TRANSACTION: 3,
  ORDERER_TRANSACTION: 4,
  DELIVER_SEEK_INFO: 5,
  CHAINCODE_PACKAGE: 6,
  PEER_ADMIN_OPERATION: 8,
} as const;

/** A `msp.SerializedIdentity`: MSP ID, the certificate as text, and the exact serialized bytes. */
export interface FabricIdentity {
  readonly mspId: string;
  /** `id_bytes` as UTF-8 text: an X.509 PEM certificate for an X.509 MSP. */
  readonly certificate: string;
  /** The serialized identity exactly as it was in the envelope (what signatures and tx ids cover). */
  readonly serialized: Uint8Array;
}

export interface FabricChannelHeader {
  readonly type: number;
  readonly channelId: string;
  readonly txId: string;
  readonly timestamp?: { readonly seconds: bigint; readonly nanos: number };
}

export interface FabricEndorsement {
  readonly endorser: FabricIdentity;
  readonly signature: Uint8Array;
}

/** One `TransactionAction` of an endorser transaction, with its endorsed response. */
export interface FabricEndorsedAction {
  /** `ChaincodeActionPayload.chaincode_proposal_payload` (the proposal payload, transient data removed). */
  readonly chaincodeProposalPayload: Uint8Array;
  /** `ChaincodeEndorsedAction.proposal_response_payload`: the bytes every endorser signed (with its identity). */
  readonly proposalResponsePayload: Uint8Array;
  readonly endorsements: readonly FabricEndorsement[];
}

export interface FabricEnvelope {
  /** `Envelope.payload`: the bytes the creator signed. */
  readonly payload: Uint8Array;
  /** `Envelope.signature`: the creator's DER ECDSA signature over `payload`. */
  readonly signature: Uint8Array;
  readonly channelHeader: FabricChannelHeader;
  /** The serialized `ChannelHeader` and `SignatureHeader`, as the proposal hash covers them. */
  readonly channelHeaderBytes: Uint8Array;
  readonly signatureHeaderBytes: Uint8Array;
  /** `SignatureHeader.creator`; undefined when the header names none (a genesis configuration block). */
  readonly creator?: FabricIdentity;
  readonly nonce: Uint8Array;
  /** `Payload.data`: a `Transaction`, a `ConfigEnvelope`, … by header type. */
  readonly data: Uint8Array;
  /** ENDORSER_TRANSACTION only: its actions, each with its endorsements (empty for other types). */
  readonly actions: readonly FabricEndorsedAction[];
}

function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProtobufError(`protobuf: ${what} is not UTF-8 text (not a PEM certificate)`);
  }
}

/** A `msp.SerializedIdentity`. */
export function decodeSerializedIdentity(bytes: Uint8Array, what = 'SerializedIdentity'): FabricIdentity {
  const identity = ProtobufMessage.decode(bytes, what);
  return {
    mspId: identity.string(1, 'mspid'),
    certificate: utf8Text(identity.bytes(2, 'id_bytes'), `${what}.id_bytes`),
    serialized: bytes,
  };
}

function channelHeaderOf(bytes: Uint8Array): FabricChannelHeader {
  const header = ProtobufMessage.decode(bytes, 'ChannelHeader');
  const timestamp = header.message(3, 'timestamp', 'Timestamp');
  return {
    type: header.int32(1, 'type'),
    channelId: header.string(4, 'channel_id'),
    txId: header.string(5, 'tx_id'),
    ...(timestamp
      ? { timestamp: { seconds: timestamp.int64(1, 'seconds'), nanos: timestamp.int32(2, 'nanos') } }
      : {}),
  };
}

function endorsedActions(data: Uint8Array): FabricEndorsedAction[] {
  const transaction = ProtobufMessage.decode(data, 'Transaction');
  return transaction.repeatedMessages(1, 'actions', 'TransactionAction').map((action, i) => {
    const payload = ProtobufMessage.decode(
      action.bytes(2, 'payload'),
      `actions[${i}].ChaincodeActionPayload`,
    );
    const endorsed = payload.message(2, 'action', 'ChaincodeEndorsedAction');
    if (!endorsed) throw new ProtobufError(`protobuf: transaction action ${i} carries no endorsed action`);
    return {
      chaincodeProposalPayload: payload.bytes(1, 'chaincode_proposal_payload'),
      proposalResponsePayload: endorsed.bytes(1, 'proposal_response_payload'),
      endorsements: endorsed.repeatedMessages(2, 'endorsements', 'Endorsement').map((e, j) => ({
        endorser: decodeSerializedIdentity(e.bytes(1, 'endorser'), `endorsements[${j}].endorser`),
        signature: e.bytes(2, 'signature'),
      })),
    };
  });
}

/** Reads a Fabric `common.Envelope` (a transaction as a block's data holds it). */
export function decodeFabricEnvelope(bytes: Uint8Array): FabricEnvelope {
  const envelope = ProtobufMessage.decode(bytes, 'Envelope');
  const payloadBytes = envelope.bytes(1, 'payload');
  if (payloadBytes.length === 0) throw new ProtobufError('protobuf: the envelope has no payload');
  const payload = ProtobufMessage.decode(payloadBytes, 'Payload');
  const header = payload.message(1, 'header', 'Header');
  if (!header) throw new ProtobufError('protobuf: the payload has no header');
  const channelHeaderBytes = header.bytes(1, 'channel_header');
  const signatureHeaderBytes = header.bytes(2, 'signature_header');
  const channelHeader = channelHeaderOf(channelHeaderBytes);
  const signatureHeader = ProtobufMessage.decode(signatureHeaderBytes, 'SignatureHeader');
  const creatorBytes = signatureHeader.bytes(1, 'creator');
  const data = payload.bytes(2, 'data');
  return {
    payload: payloadBytes,
    signature: envelope.bytes(2, 'signature'),
    channelHeader,
    channelHeaderBytes,
    signatureHeaderBytes,
    ...(creatorBytes.length > 0 ? { creator: decodeSerializedIdentity(creatorBytes, 'creator') } : {}),
    nonce: signatureHeader.bytes(2, 'nonce'),
    data,
    actions: channelHeader.type === FABRIC_HEADER_TYPE.ENDORSER_TRANSACTION ? endorsedActions(data) : [],
  };
}

/** Fabric's transaction id: hex SHA-256 of `nonce ‖ creator` (the serialized identity), as `protoutil.ComputeTxID`. */
export function fabricTransactionId(nonce: Uint8Array, creator: Uint8Array): string {
  return sha256Hex(concatBytes(nonce, creator));
}

/**
 * The proposal hash the committer expects in each endorsed response: SHA-256 of `channel_header ‖
 * signature_header ‖ chaincode_proposal_payload` (Fabric's `GetProposalHash2`).
 */
export function fabricProposalHash(
  envelope: Pick<FabricEnvelope, 'channelHeaderBytes' | 'signatureHeaderBytes'>,
  action: Pick<FabricEndorsedAction, 'chaincodeProposalPayload'>,
): Uint8Array {
  return sha256(
    concatBytes(envelope.channelHeaderBytes, envelope.signatureHeaderBytes, action.chaincodeProposalPayload),
  );
}

/** `ProposalResponsePayload.proposal_hash` of an endorsed response. */
export function fabricResponseProposalHash(proposalResponsePayload: Uint8Array): Uint8Array {
  return ProtobufMessage.decode(proposalResponsePayload, 'ProposalResponsePayload').bytes(1, 'proposal_hash');
}

/** The bytes an endorser signs: `proposal_response_payload ‖ endorser` (its serialized identity). */
export function fabricEndorsementMessage(
  action: Pick<FabricEndorsedAction, 'proposalResponsePayload'>,
  endorsement: Pick<FabricEndorsement, 'endorser'>,
): Uint8Array {
  return concatBytes(action.proposalResponsePayload, endorsement.endorser.serialized);
}

/**
 * A policy of a configuration group (`ConfigPolicy { Policy policy = 2; }`, `Policy { int32 type = 1; bytes value
 * = 2; }`): a `SignaturePolicyEnvelope` (type SIGNATURE = 1), or an `ImplicitMetaPolicy { string sub_policy = 1;
 * Rule rule = 2; }` (type IMPLICIT_META = 3; ANY = 0, ALL = 1, MAJORITY = 2) over the sub-groups' policies of
 * that name.
 */
export type FabricPolicy =
  | { readonly kind: 'signature'; readonly envelope: Uint8Array }
  | { readonly kind: 'implicit-meta'; readonly subPolicy: string; readonly rule: 'ANY' | 'ALL' | 'MAJORITY' }
  | { readonly kind: 'unsupported'; readonly type: number };

const POLICY_TYPE = { SIGNATURE: 1, IMPLICIT_META: 3 } as const;
const IMPLICIT_META_RULES = ['ANY', 'ALL', 'MAJORITY'] as const;

function policiesOf(group: ProtobufMessage, where: string): Map<string, FabricPolicy> {
  const policies = new Map<string, FabricPolicy>();
  for (const [name, bytes] of group.stringMap(4, 'policies')) {
    const policy = ProtobufMessage.decode(bytes, `${where}.${name}(ConfigPolicy)`).message(
      2,
      'policy',
      'Policy',
    );
    const type = policy?.int32(1, 'type') ?? 0;
    const value = policy?.bytes(2, 'value') ?? new Uint8Array();
    if (type === POLICY_TYPE.SIGNATURE) policies.set(name, { kind: 'signature', envelope: value });
    else if (type === POLICY_TYPE.IMPLICIT_META) {
      const meta = ProtobufMessage.decode(value, `${where}.${name}(ImplicitMetaPolicy)`);
      const rule = IMPLICIT_META_RULES[meta.int32(2, 'rule')];
      if (!rule) throw new ProtobufError(`protobuf: ${where}.${name} has an unknown implicit meta rule`);
      policies.set(name, { kind: 'implicit-meta', subPolicy: meta.string(1, 'sub_policy'), rule });
    } else policies.set(name, { kind: 'unsupported', type });
  }
  return policies;
}

/** One organisation of a Fabric channel configuration with an X.509 (`FABRIC`) MSP. */
export interface FabricOrganisationConfig {
  readonly mspId: string;
  /** The organisation group's policies (`Readers`, `Writers`, `Admins`, …). */
  readonly policies: ReadonlyMap<string, FabricPolicy>;
  /** The configuration group it is in: `Application` (peers' organisations) or `Orderer`. */
  readonly group: 'Application' | 'Orderer';
  /** `FabricMSPConfig.root_certs` and `intermediate_certs`, PEM text. */
  readonly rootCertificates: readonly string[];
  readonly intermediateCertificates: readonly string[];
}

export interface FabricChannelConfig {
  readonly channelId: string;
  readonly sequence: bigint;
  readonly organisations: readonly FabricOrganisationConfig[];
  /** The `Orderer` group's own policies; `BlockValidation` says whose signatures make a block. */
  readonly ordererPolicies: ReadonlyMap<string, FabricPolicy>;
}

const MSP_TYPE_FABRIC = 0;

function organisationsOf(
  group: ProtobufMessage | undefined,
  name: 'Application' | 'Orderer',
): FabricOrganisationConfig[] {
  if (!group) return [];
  const organisations: FabricOrganisationConfig[] = [];
  for (const [orgName, bytes] of group.stringMap(2, 'groups')) {
    const org = ProtobufMessage.decode(bytes, `${name}.${orgName}(ConfigGroup)`);
    const value = org.stringMap(3, 'values').get('MSP');
    if (!value) continue;
    const configValue = ProtobufMessage.decode(value, `${name}.${orgName}.MSP(ConfigValue)`);
    const msp = ProtobufMessage.decode(configValue.bytes(2, 'value'), `${name}.${orgName}(MSPConfig)`);
    if (msp.int32(1, 'type') !== MSP_TYPE_FABRIC) continue;
    const fabric = ProtobufMessage.decode(msp.bytes(2, 'config'), `${name}.${orgName}(FabricMSPConfig)`);
    const pem = (list: Uint8Array[], what: string) => list.map((c) => utf8Text(c, `${orgName} ${what}`));
    organisations.push({
      mspId: fabric.string(1, 'name'),
      policies: policiesOf(org, `${name}.${orgName}`),
      group: name,
      rootCertificates: pem(fabric.repeatedBytes(2, 'root_certs'), 'root certificate'),
      intermediateCertificates: pem(
        fabric.repeatedBytes(3, 'intermediate_certs'),
        'intermediate certificate',
      ),
    });
  }
  return organisations;
}

/**
 * The organisations and their CA certificates in a CONFIG envelope (a configuration block's only
 * transaction, e.g. block 0): `ConfigEnvelope.config.channel_group.groups["Application" | "Orderer"]`.
 */
export function decodeFabricChannelConfig(envelope: FabricEnvelope): FabricChannelConfig {
  if (envelope.channelHeader.type !== FABRIC_HEADER_TYPE.CONFIG) {
    throw new ProtobufError(
      `protobuf: header type ${envelope.channelHeader.type} is not a configuration transaction`,
    );
  }
  const configEnvelope = ProtobufMessage.decode(envelope.data, 'ConfigEnvelope');
  const config = configEnvelope.message(1, 'config', 'Config');
  if (!config) throw new ProtobufError('protobuf: the configuration envelope has no config');
  const root = config.message(2, 'channel_group', 'ConfigGroup');
  const groups = root?.stringMap(2, 'groups') ?? new Map<string, Uint8Array>();
  const group = (name: string) => {
    const bytes = groups.get(name);
    return bytes ? ProtobufMessage.decode(bytes, `${name}(ConfigGroup)`) : undefined;
  };
  const orderer = group('Orderer');
  return {
    channelId: envelope.channelHeader.channelId,
    sequence: config.uint(1, 'sequence'),
    organisations: [
      ...organisationsOf(group('Application'), 'Application'),
      ...organisationsOf(orderer, 'Orderer'),
    ],
    ordererPolicies: orderer ? policiesOf(orderer, 'Orderer') : new Map(),
  };
}
