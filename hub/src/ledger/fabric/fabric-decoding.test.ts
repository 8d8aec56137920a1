import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { BinaryWriter } from 'google-protobuf';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { expect } from 'chai';
import { fabricBlockHeaderBytes, recomputeBlockHashes } from '../block-hashes';
import {
  decodeBlock,
  decodeChainHeight,
  decodeEnvelope,
  decodeProcessedTransaction,
} from './fabric-decoding';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function identity(mspId: string): Uint8Array {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(utf8(CERT));
  return id.serializeBinary();
}

function endorserEnvelope(txId: string, withEvent: boolean): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(txId);
  channelHeader.setChannelId('approval');
  const ts = new Timestamp();
  ts.setSeconds(1741249800);
  ts.setNanos(123456789);
  channelHeader.setTimestamp(ts);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(identity('BeijingMSP'));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const input = new peer.ChaincodeInput();
  input.setArgsList([utf8('milestones:Record'), utf8('{"id":"m1"}')]);
  const id = new peer.ChaincodeID();
  id.setName('approval-ledger');
  const spec = new peer.ChaincodeSpec();
  spec.setChaincodeId(id);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const proposalPayload = new peer.ChaincodeProposalPayload();
  proposalPayload.setInput(invocation.serializeBinary());

  const action = new peer.ChaincodeAction();
  if (withEvent) {
    const event = new peer.ChaincodeEvent();
    event.setEventName('MilestonesRecorded');
    event.setPayload(utf8('{"ids":["m1"]}'));
    event.setTxId(txId);
    action.setEvents(event.serializeBinary());
  }
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(action.serializeBinary());
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(identity('TianjinMSP'));
  endorsement.setSignature(new Uint8Array([1, 2, 3]));
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  endorsed.setEndorsementsList([endorsement]);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
  actionPayload.setAction(endorsed);
  const txAction = new peer.TransactionAction();
  txAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([txAction]);

  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  envelope.setSignature(new Uint8Array([9]));
  return envelope.serializeBinary();
}

/** The orderer's key: block signatures are made at test time, as an orderer's blockwriter makes them. */
const ordererKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** `OrdererBlockMetadata { last_config, consenter_metadata }`: the SIGNATURES metadata's value in Fabric 2.x. */
function ordererBlockMetadata(): Uint8Array {
  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(0);
  const value = new common.OrdererBlockMetadata();
  value.setLastConfig(lastConfig);
  value.setConsenterMetadata(utf8('raft-metadata'));
  return value.serializeBinary();
}

interface MetadataSignatureParts {
  readonly signatureHeader: Uint8Array;
  readonly signature: (signedPrefix: Uint8Array) => Uint8Array;
}

/** The orderer's signature header and its signature over `value ‖ signature_header ‖ BlockHeaderBytes`. */
function ordererSignature(header: common.BlockHeader): MetadataSignatureParts {
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(identity('OrdererMSP'));
  signatureHeader.setNonce(new Uint8Array([7, 7, 7]));
  const headerBytes = fabricBlockHeaderBytes(
    BigInt(header.getNumber()),
    header.getPreviousHash_asU8(),
    header.getDataHash_asU8(),
  );
  return {
    signatureHeader: signatureHeader.serializeBinary(),
    signature: (signedPrefix) =>
      sign('sha256', Buffer.concat([signedPrefix, headerBytes]), {
        key: ordererKey.privateKey,
        dsaEncoding: 'der',
      }),
  };
}

function block(
  number: number,
  envelopes: Uint8Array[],
  filter: number[],
  options: { readonly value?: Uint8Array; readonly withoutSignatureHeader?: boolean } = {},
): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(number);
  header.setPreviousHash(new Uint8Array(32).fill(3));
  const data = createHash('sha256');
  for (const e of envelopes) data.update(e);
  header.setDataHash(data.digest());
  const blockData = new common.BlockData();
  blockData.setDataList(envelopes);
  // the SIGNATURES metadata (common.Metadata { bytes value = 1; repeated MetadataSignature signatures = 2 })
  // written field by field: building it from message classes would mix the fabric-protos copies loaded in one
  // test process
  const value = options.value ?? ordererBlockMetadata();
  const { signatureHeader, signature } = ordererSignature(header);
  const writtenHeader = options.withoutSignatureHeader ? new Uint8Array() : signatureHeader;
  const writer = new BinaryWriter();
  writer.writeBytes(1, value);
  writer.writeMessage(2, writtenHeader, (h: Uint8Array, w: BinaryWriter) => {
    if (h.length > 0) w.writeBytes(1, h);
    w.writeBytes(2, signature(Buffer.concat([value, h])));
  });
  const signatures = { serializeBinary: (): Uint8Array => writer.getResultBuffer() };
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList([signatures.serializeBinary(), new Uint8Array(), new Uint8Array(filter)]);
  const b = new common.Block();
  b.setHeader(header);
  b.setData(blockData);
  b.setMetadata(metadata);
  return b;
}

describe('Fabric protobuf decoding', () => {
  it('decodes a block: header, hashes that re-compute, orderer signature, transactions with their codes', () => {
    const envelopes = [endorserEnvelope('tx-a', true), endorserEnvelope('tx-b', false)];
    const decoded = decodeBlock(block(42, envelopes, [0, 11]).serializeBinary());
    expect(decoded).to.include({ number: 42, previousHash: '03'.repeat(32), dataHashScheme: 'fabric' });
    expect(recomputeBlockHashes(decoded)).to.deep.equal({ hash: decoded.hash, dataHash: decoded.dataHash });
    expect(decoded.signatures.map((s) => s.mspId)).to.deep.equal(['OrdererMSP']);
    expect(decoded.transactions.map((t) => [t.txId, t.txIndex, t.validationCode])).to.deep.equal([
      ['tx-a', 0, 'VALID'],
      ['tx-b', 1, 'MVCC_READ_CONFLICT'],
    ]);
  });

  it('gives each orderer signature the bytes it signs before the header: Metadata.value ‖ signature_header', () => {
    const b = block(42, [endorserEnvelope('tx-a', false)], [0]);
    const decoded = decodeBlock(b.serializeBinary());
    const [signature] = decoded.signatures;
    if (!signature?.signedPrefix) throw new Error('no signed prefix');
    const metadata = common.Metadata.deserializeBinary(
      b.getMetadata()?.getMetadataList_asU8()[0] ?? new Uint8Array(),
    );
    const signatureHeader = metadata.getSignaturesList()[0]?.getSignatureHeader_asU8() ?? new Uint8Array();
    expect(common.SignatureHeader.deserializeBinary(signatureHeader).getNonce_asU8()).to.deep.equal(
      new Uint8Array([7, 7, 7]),
    );
    expect(
      Buffer.from(signature.signedPrefix).equals(Buffer.concat([ordererBlockMetadata(), signatureHeader])),
    ).to.be.true;
    expect(signature).to.include({ mspId: 'OrdererMSP', certificate: CERT });
    // the decoded block alone is enough to check the signature: prefix ‖ DER header of the decoded fields
    const signed = Buffer.concat([
      signature.signedPrefix,
      fabricBlockHeaderBytes(
        BigInt(decoded.number),
        Buffer.from(decoded.previousHash, 'hex'),
        Buffer.from(decoded.dataHash, 'hex'),
      ),
    ]);
    const key = { key: ordererKey.publicKey, dsaEncoding: 'der' } as const;
    expect(verify('sha256', signed, key, signature.signature)).to.be.true;
    const flipped = Buffer.from(signed);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(verify('sha256', flipped, key, signature.signature)).to.be.false;
  });

  it('an empty metadata value leaves the signature header alone as the prefix', () => {
    const decoded = decodeBlock(block(3, [], [], { value: new Uint8Array() }));
    const [signature] = decoded.signatures;
    expect(signature?.signedPrefix?.[0]).to.equal(0x0a); // SignatureHeader.creator, field 1
    expect(
      common.SignatureHeader.deserializeBinary(signature?.signedPrefix ?? new Uint8Array()).getNonce_asU8(),
    ).to.deep.equal(new Uint8Array([7, 7, 7]));
  });

  it('a signature without a signature header (a BFT identifier header) gets no prefix', () => {
    const decoded = decodeBlock(block(3, [], [], { withoutSignatureHeader: true }));
    expect(decoded.signatures).to.have.length(1);
    expect(decoded.signatures[0]).to.not.have.property('signedPrefix');
  });

  it('decodes an endorser transaction: creator, function, arguments, endorsements, event, timestamp', () => {
    const tx = decodeEnvelope(endorserEnvelope('tx-a', true), {
      blockNumber: 7,
      txIndex: 0,
      validationCode: 10,
    });
    expect(tx).to.include({
      txId: 'tx-a',
      type: 'endorser',
      chaincodeName: 'approval-ledger',
      function: 'milestones:Record',
      validationCode: 'ENDORSEMENT_POLICY_FAILURE',
      timestamp: '2025-03-06T08:30:00.123456789Z',
    });
    expect(tx.args).to.deep.equal(['{"id":"m1"}']);
    expect(tx.creator).to.deep.equal({ mspId: 'BeijingMSP', certificate: CERT });
    expect(tx.endorsements.map((e) => [e.mspId, [...e.signature]])).to.deep.equal([
      ['TianjinMSP', [1, 2, 3]],
    ]);
    expect(tx.event?.eventName).to.equal('MilestonesRecorded');
    expect(new TextDecoder().decode(tx.event?.payload)).to.equal('{"ids":["m1"]}');
  });

  it('decodes a processed transaction (qscc GetTransactionByID) with its validation code', () => {
    const processed = new peer.ProcessedTransaction();
    processed.setTransactionenvelope(common.Envelope.deserializeBinary(endorserEnvelope('tx-p', false)));
    processed.setValidationcode(11);
    const tx = decodeProcessedTransaction(processed.serializeBinary(), { blockNumber: 9, txIndex: 3 });
    expect(tx).to.include({ txId: 'tx-p', blockNumber: 9, txIndex: 3, validationCode: 'MVCC_READ_CONFLICT' });
    expect(tx.event).to.equal(undefined);
  });

  it('decodes the chain height (qscc GetChainInfo)', () => {
    const info = new common.BlockchainInfo();
    info.setHeight(1234);
    expect(decodeChainHeight(info.serializeBinary())).to.equal(1234);
  });
});
