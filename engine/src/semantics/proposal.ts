// A transaction proposal built as a Fabric client builds one (SignedProposal -> Proposal -> Header with
// ChannelHeader + SignatureHeader, ChaincodeProposalPayload with the invocation spec and transient map),
// so that fabric-shim's ChaincodeStub decodes creator, timestamp, transient data and binding from it
// exactly as on a peer. The transaction id is Fabric's: hex(SHA-256(nonce || serialized creator)), with SM3 in
// place of SHA-256 on a chain of the `gm` (国密) crypto suite.
import { createHash, randomBytes } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { TxTimestamp } from './state';

export interface ProposalCreator {
  readonly mspId: string;
  /** The PEM certificate (string or its bytes), as a Fabric SerializedIdentity carries it. */
  readonly certificate: string | Uint8Array;
}

export interface TransactionProposal {
  readonly channelId: string;
  readonly chaincodeName: string;
  readonly creator: ProposalCreator;
  /** args[0] is the function, `contract:Transaction`; the rest are its parameters. */
  readonly args: readonly (string | Uint8Array)[];
  /** The proposal's timestamp: `getTxTimestamp()` returns it. */
  readonly timestamp: Date | TxTimestamp;
  readonly transient?: Readonly<Record<string, Uint8Array | string>>;
  /** 24 random bytes by default, as Fabric clients use. */
  readonly nonce?: Uint8Array;
  /** The chain's crypto suite: `gm` hashes the transaction id with SM3 (default `intl`: SHA-256). */
  readonly suite?: 'intl' | 'gm';
  /** Signs the proposal bytes with the creator's key; without it the signature is empty. */
  readonly sign?: (proposalBytes: Uint8Array) => Uint8Array;
}

/** A proposal whose signature is made when first read ({@link unsignedProposal}); the same bytes every read. */
export interface UnsignedProposal extends BuiltProposal {
  /** The creator's signature over `proposalBytes` (empty without `sign`), made on the first call. */
  readonly signature: () => Uint8Array;
}

export interface BuiltProposal {
  readonly txId: string;
  readonly timestamp: TxTimestamp;
  readonly creatorBytes: Uint8Array;
  readonly proposalBytes: Uint8Array;
  readonly signedProposal: peer.SignedProposal;
  readonly chaincodeInput: peer.ChaincodeInput;
}

const bytesOf = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : value;

export function toTxTimestamp(timestamp: Date | TxTimestamp): TxTimestamp {
  if (!(timestamp instanceof Date)) return { seconds: timestamp.seconds, nanos: timestamp.nanos };
  const ms = timestamp.getTime();
  if (Number.isNaN(ms)) throw new Error('proposal timestamp is not a valid date');
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Identities and chaincode names remembered per thread: a hub has a few dozen clients and namespaces. */
const REMEMBERED = 256;
const identities = new Map<string, Uint8Array>();
const extensions = new Map<string, Uint8Array>();

function remembered(map: Map<string, Uint8Array>, key: string, make: () => Uint8Array): Uint8Array {
  let bytes = map.get(key);
  if (!bytes) {
    if (map.size >= REMEMBERED) map.clear();
    bytes = make();
    map.set(key, bytes);
  }
  return bytes;
}

/**
 * `msp.SerializedIdentity` bytes: what a Fabric signature header names as creator. A PEM text's encoding is
 * remembered (every proposal of a client names the same identity); each caller gets its own copy of it.
 */
export function serializeIdentity(mspId: string, certificate: string | Uint8Array): Uint8Array {
  const make = (): Uint8Array => {
    const identity = new msp.SerializedIdentity();
    identity.setMspid(mspId);
    identity.setIdBytes(bytesOf(certificate));
    return identity.serializeBinary();
  };
  return typeof certificate === 'string'
    ? remembered(identities, `${mspId}\n${certificate}`, make).slice()
    : make();
}

/** The channel header's `peer.ChaincodeHeaderExtension` bytes naming the invoked chaincode (remembered). */
function chaincodeExtension(chaincodeName: string): Uint8Array {
  return remembered(extensions, chaincodeName, () => {
    const extension = new peer.ChaincodeHeaderExtension();
    const id = new peer.ChaincodeID();
    id.setName(chaincodeName);
    extension.setChaincodeId(id);
    return extension.serializeBinary();
  });
}

export function computeTxId(
  nonce: Uint8Array,
  creatorBytes: Uint8Array,
  suite: 'intl' | 'gm' = 'intl',
): string {
  return createHash(suite === 'gm' ? 'sm3' : 'sha256')
    .update(nonce)
    .update(creatorBytes)
    .digest('hex');
}

function channelHeader(p: TransactionProposal, txId: string, ts: TxTimestamp): common.ChannelHeader {
  const header = new common.ChannelHeader();
  header.setType(common.HeaderType.ENDORSER_TRANSACTION);
  header.setVersion(0);
  const timestamp = new Timestamp();
  timestamp.setSeconds(ts.seconds);
  timestamp.setNanos(ts.nanos);
  header.setTimestamp(timestamp);
  header.setChannelId(p.channelId);
  header.setTxId(txId);
  header.setEpoch(0);
  header.setExtension$(chaincodeExtension(p.chaincodeName));
  return header;
}

function proposalPayload(p: TransactionProposal, input: peer.ChaincodeInput): peer.ChaincodeProposalPayload {
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  const id = new peer.ChaincodeID();
  id.setName(p.chaincodeName);
  spec.setChaincodeId(id);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());
  const transient = payload.getTransientmapMap();
  for (const [name, value] of Object.entries(p.transient ?? {})) transient.set(name, bytesOf(value));
  return payload;
}

/** The proposal, signed with `p.sign` (an empty signature without it). */
export function buildProposal(p: TransactionProposal): BuiltProposal {
  const built = unsignedProposal(p);
  built.signedProposal.setSignature(built.signature());
  return built;
}

/**
 * The proposal with its signature left to be made when first read: a simulation needs the signature only if the
 * chaincode reads it (`stub.getSignedProposal().signature`, see simulate.ts `createStub`), and an ECDSA
 * signature is a large part of a one-record transaction's endorsement. `signedProposal` carries an empty
 * signature; `signature()` makes (once) and returns the real one.
 */
export function unsignedProposal(p: TransactionProposal): UnsignedProposal {
  const timestamp = toTxTimestamp(p.timestamp);
  const nonce = p.nonce ?? randomBytes(24);
  const creatorBytes = serializeIdentity(p.creator.mspId, p.creator.certificate);
  const txId = computeTxId(nonce, creatorBytes, p.suite);

  const chaincodeInput = new peer.ChaincodeInput();
  chaincodeInput.setArgsList(p.args.map(bytesOf));

  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creatorBytes);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader(p, txId, timestamp).serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(proposalPayload(p, chaincodeInput).serializeBinary());
  const proposalBytes = proposal.serializeBinary();

  const signedProposal = new peer.SignedProposal();
  signedProposal.setProposalBytes(proposalBytes);
  signedProposal.setSignature(new Uint8Array(0));
  let made: Uint8Array | undefined;
  const signature = (): Uint8Array => (made ??= p.sign ? p.sign(proposalBytes) : new Uint8Array(0));
  return { txId, timestamp, creatorBytes, proposalBytes, signedProposal, chaincodeInput, signature };
}
