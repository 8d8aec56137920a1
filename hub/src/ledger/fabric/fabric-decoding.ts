/**
 * Fabric's protobuf blocks and transactions (from qscc and the deliver service) as the port's engine-neutral
 * {@link LedgerBlock} / {@link LedgerTransaction}. Pure decoding with @hyperledger/fabric-protos (message
 * definitions, not a client): unit-tested with protos built in the test.
 *
 * Fabric's block hash is SHA-256 of the ASN.1 DER header `SEQUENCE { INTEGER number, OCTET STRING
 * previousHash, OCTET STRING dataHash }`; its data hash is SHA-256 of the concatenated envelope bytes.
 */
import { createHash } from 'node:crypto';
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import { fabricBlockHeaderBytes } from '../block-hashes';
import { type LedgerBlock, type LedgerSignature, type LedgerTransaction } from '../ledger-port';
import { validationCodeName } from '@approval-ledger/protocol';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

export function blockHeaderHash(header: common.BlockHeader): string {
  const bytes = fabricBlockHeaderBytes(
    BigInt(header.getNumber()),
    header.getPreviousHash_asU8(),
    header.getDataHash_asU8(),
  );
  return createHash('sha256').update(bytes).digest('hex');
}

function identityOf(serialized: Uint8Array): { mspId: string; certificate: string } {
  const identity = msp.SerializedIdentity.deserializeBinary(serialized);
  return { mspId: identity.getMspid(), certificate: utf8(identity.getIdBytes_asU8()) };
}

function timestampIso(ts: { getSeconds(): number; getNanos(): number } | undefined): string {
  if (!ts) return new Date(0).toISOString();
  const whole = new Date(ts.getSeconds() * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(ts.getNanos()).padStart(9, '0')}Z`;
}

interface EndorserParts {
  chaincodeName?: string;
  function?: string;
  args: string[];
  endorsements: LedgerSignature[];
  event?: { eventName: string; payload: Uint8Array };
}

function endorserParts(data: Uint8Array): EndorserParts {
  const action = peer.Transaction.deserializeBinary(data).getActionsList()[0];
  if (!action) return { args: [], endorsements: [] };
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = actionPayload.getAction();
  const endorsements = (endorsed?.getEndorsementsList() ?? []).map((e) => ({
    ...identityOf(e.getEndorser_asU8()),
    signature: e.getSignature_asU8(),
  }));
  const event = chaincodeEventOf(endorsed);
  return {
    ...invocationOf(actionPayload),
    endorsements,
    ...(event ? { event } : {}),
  };
}

/** The chaincode name, function and arguments the transaction's proposal invoked. */
function invocationOf(
  actionPayload: peer.ChaincodeActionPayload,
): Pick<EndorserParts, 'chaincodeName' | 'function' | 'args'> {
  const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(
    actionPayload.getChaincodeProposalPayload_asU8(),
  );
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(
    proposalPayload.getInput_asU8(),
  ).getChaincodeSpec();
  const [fn, ...args] = (spec?.getInput()?.getArgsList_asU8() ?? []).map(utf8);
  const chaincodeName = spec?.getChaincodeId()?.getName();
  return {
    args,
    ...(chaincodeName ? { chaincodeName } : {}),
    ...(fn !== undefined ? { function: fn } : {}),
  };
}

function chaincodeEventOf(
  endorsed: peer.ChaincodeEndorsedAction | undefined,
): { eventName: string; payload: Uint8Array } | undefined {
  if (!endorsed) return undefined;
  const responsePayload = peer.ProposalResponsePayload.deserializeBinary(
    endorsed.getProposalResponsePayload_asU8(),
  );
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
  const eventBytes = chaincodeAction.getEvents_asU8();
  if (eventBytes.length === 0) return undefined;
  const event = peer.ChaincodeEvent.deserializeBinary(eventBytes);
  return { eventName: event.getEventName(), payload: event.getPayload_asU8() };
}

/** One transaction envelope (bytes as in the block) with its position and validation code. */
export function decodeEnvelope(
  envelope: Uint8Array,
  position: { blockNumber: number; txIndex: number; validationCode: number },
): LedgerTransaction {
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelope).getPayload_asU8(),
  );
  const header = payload.getHeader();
  const channelHeader = common.ChannelHeader.deserializeBinary(
    header?.getChannelHeader_asU8() ?? new Uint8Array(),
  );
  const signatureHeader = common.SignatureHeader.deserializeBinary(
    header?.getSignatureHeader_asU8() ?? new Uint8Array(),
  );
  const isEndorser = channelHeader.getType() === common.HeaderType.ENDORSER_TRANSACTION;
  const creatorBytes = signatureHeader.getCreator_asU8();
  return {
    txId: channelHeader.getTxId(),
    blockNumber: position.blockNumber,
    txIndex: position.txIndex,
    validationCode: validationCodeName(position.validationCode),
    timestamp: timestampIso(channelHeader.getTimestamp()),
    type: isEndorser ? 'endorser' : 'config',
    ...(creatorBytes.length > 0 ? { creator: identityOf(creatorBytes) } : {}),
    envelope,
    ...(isEndorser ? endorserParts(payload.getData_asU8()) : { args: [], endorsements: [] }),
  };
}

/**
 * The signed `common.Envelope` inside the bytes of a Fabric Gateway `Transaction` (`getBytes()` is a serialized
 * `gateway.PreparedTransaction {transaction_id, envelope}`, not an envelope). fabric-gateway signs the envelope
 * lazily, in place, inside `submit()`: read before it, the envelope has an empty signature and differs from the
 * block's data entry, so such bytes are refused. The returned bytes are the block's data entry byte for byte.
 */
export function envelopeOfPreparedTransaction(prepared: Uint8Array): { txId: string; envelope: Uint8Array } {
  const transaction = gateway.PreparedTransaction.deserializeBinary(prepared);
  const envelope = transaction.getEnvelope();
  if (!envelope || envelope.getPayload_asU8().length === 0) {
    throw new Error('PreparedTransaction.envelope: must hold the transaction envelope, found none');
  }
  if (envelope.getSignature_asU8().length === 0) {
    throw new Error(
      `PreparedTransaction.envelope.signature of ${transaction.getTransactionId()}: must be signed; ` +
        'fabric-gateway signs at submit(), so read Transaction.getBytes() after submit()',
    );
  }
  return { txId: transaction.getTransactionId(), envelope: envelope.serializeBinary() };
}

/**
 * The orderers' signatures in the block's SIGNATURES metadata. Each signs `Metadata.value ‖ signature_header ‖
 * BlockHeaderBytes(header)` (Fabric's `protoutil` `BlockSignatureVerifier`); the part before the header goes
 * out as `signedPrefix`, so a reader can check the signature from the block response alone. A BFT signature
 * that names its signer by an `identifier_header` instead (Fabric 3) has no signature header and gets no
 * prefix: what it signs names a consenter known only from the channel configuration.
 */
function ordererSignatures(block: common.Block): LedgerSignature[] {
  const bytes = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
  if (!bytes || bytes.length === 0) return [];
  const metadata = common.Metadata.deserializeBinary(bytes);
  const value = metadata.getValue_asU8();
  return metadata.getSignaturesList().map((s) => {
    const signatureHeader = s.getSignatureHeader_asU8();
    const creator = common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8();
    return {
      ...identityOf(creator),
      signature: s.getSignature_asU8(),
      ...(signatureHeader.length > 0
        ? { signedPrefix: new Uint8Array(Buffer.concat([value, signatureHeader])) }
        : {}),
    };
  });
}

/**
 * A block from qscc GetBlockByNumber / GetBlockByTxID or the deliver service; given as bytes, the bytes are kept
 * (`raw`) for proofs and verify-chain.
 */
export function decodeBlock(block: common.Block | Uint8Array): LedgerBlock {
  const b = block instanceof Uint8Array ? common.Block.deserializeBinary(block) : block;
  const raw = block instanceof Uint8Array ? block : undefined;
  const header = b.getHeader() ?? new common.BlockHeader();
  const number = header.getNumber();
  const filter =
    b.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ??
    new Uint8Array();
  const envelopes = b.getData()?.getDataList_asU8() ?? [];
  return {
    number,
    hash: blockHeaderHash(header),
    previousHash: hex(header.getPreviousHash_asU8()),
    dataHash: hex(header.getDataHash_asU8()),
    dataHashScheme: 'fabric',
    signatures: ordererSignatures(b),
    transactions: envelopes.map((envelope, txIndex) =>
      decodeEnvelope(envelope, { blockNumber: number, txIndex, validationCode: filter[txIndex] ?? 254 }),
    ),
    ...(raw ? { raw } : {}),
  };
}

/** A transaction from qscc GetTransactionByID, placed in its block (found with GetBlockByTxID). */
export function decodeProcessedTransaction(
  processed: Uint8Array,
  position: { blockNumber: number; txIndex: number },
): LedgerTransaction {
  const tx = peer.ProcessedTransaction.deserializeBinary(processed);
  const envelope = tx.getTransactionenvelope()?.serializeBinary() ?? new Uint8Array();
  return decodeEnvelope(envelope, { ...position, validationCode: tx.getValidationcode() });
}

/** Block height from qscc GetChainInfo. */
export function decodeChainHeight(info: Uint8Array): number {
  return common.BlockchainInfo.deserializeBinary(info).getHeight();
}
