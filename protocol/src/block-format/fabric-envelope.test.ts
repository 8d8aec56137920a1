/**
 * The Fabric envelope reader against real Fabric encodings: fixtures built with Fabric's generated encoders
 * (@hyperledger/fabric-protos, test only), signed with keys made here (node:crypto).
 */
import { type KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb.js';
import { bytesToHex, utf8Encode } from '../bytes.js';
import { verifyP256 } from '../proof/ecdsa-p256.js';
import {
  ecdsaDerToP1363,
  ecdsaP1363ToLowSDer,
  ecdsaSignatureComponents,
  isLowSSignature,
  P256_ORDER,
} from './ecdsa-signature.js';
import { concatBytes, derInteger, derSequence } from './der-writer.js';
import {
  FABRIC_HEADER_TYPE,
  decodeFabricChannelConfig,
  decodeFabricEnvelope,
  decodeSerializedIdentity,
  fabricEndorsementMessage,
  fabricProposalHash,
  fabricResponseProposalHash,
  fabricTransactionId,
} from './fabric-envelope.js';
import { ProtobufError, ProtobufMessage, protobufFields, readVarint } from './protobuf-reader.js';
import {
  bytesField,
  encodeVarint,
  lengthDelimitedField,
  protobufMessage,
  varintField,
} from './protobuf-writer.js';

interface Signer {
  readonly mspId: string;
  /** Stands in for the PEM certificate: the reader treats id_bytes as text and does not parse it. */
  readonly certificate: string;
  readonly privateKey: KeyObject;
  /** SEC1 uncompressed public point. */
  readonly publicKey: Uint8Array;
}

function signer(mspId: string, name: string): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const body = Buffer.from(concatBytes(utf8Encode(name), spki)).toString('base64');
  return {
    mspId,
    certificate: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
    privateKey,
    publicKey: spki.subarray(spki.length - 65),
  };
}

function lowSSign(key: KeyObject, message: Uint8Array): Uint8Array {
  const der = new Uint8Array(sign('sha256', message, { key, dsaEncoding: 'der' }));
  return ecdsaP1363ToLowSDer(ecdsaDerToP1363(der));
}

function serialized(s: Signer): Uint8Array {
  const identity = new msp.SerializedIdentity();
  identity.setMspid(s.mspId);
  identity.setIdBytes(utf8Encode(s.certificate));
  return identity.serializeBinary();
}

const creator = signer('BeijingMSP', 'client.beijing');
const endorsers = [signer('BeijingMSP', 'peer0.beijing'), signer('TianjinMSP', 'peer0.tianjin')];
const NONCE = new Uint8Array(24).fill(7);
const CHANNEL = 'approval';

interface Built {
  readonly bytes: Uint8Array;
  readonly txId: string;
  readonly channelHeader: Uint8Array;
  readonly signatureHeader: Uint8Array;
  readonly proposalPayload: Uint8Array;
  readonly responsePayload: Uint8Array;
}

/** An endorser transaction exactly as a Fabric client assembles it, with Fabric's generated encoders. */
function fabricEndorserTransaction(): Built {
  const creatorBytes = serialized(creator);
  const txId = fabricTransactionId(NONCE, creatorBytes);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setChannelId(CHANNEL);
  channelHeader.setTxId(txId);
  const timestamp = new Timestamp();
  timestamp.setSeconds(1741249800);
  timestamp.setNanos(123000000);
  channelHeader.setTimestamp(timestamp);
  channelHeader.setExtension$(utf8Encode('chaincode header extension'));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creatorBytes);
  signatureHeader.setNonce(NONCE);
  const channelHeaderBytes = channelHeader.serializeBinary();
  const signatureHeaderBytes = signatureHeader.serializeBinary();

  const proposalPayload = utf8Encode('ChaincodeProposalPayload: input without transient data');
  const response = new peer.ProposalResponsePayload();
  response.setProposalHash(
    fabricProposalHash(
      { channelHeaderBytes, signatureHeaderBytes },
      { chaincodeProposalPayload: proposalPayload },
    ),
  );
  response.setExtension$(utf8Encode('ChaincodeAction: results, events, response'));
  const responsePayload = response.serializeBinary();

  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload);
  endorsed.setEndorsementsList(
    endorsers.map((e) => {
      const endorsement = new peer.Endorsement();
      const endorser = serialized(e);
      endorsement.setEndorser(endorser);
      endorsement.setSignature(lowSSign(e.privateKey, concatBytes(responsePayload, endorser)));
      return endorsement;
    }),
  );
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayload);
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setHeader(signatureHeaderBytes);
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);

  const header = new common.Header();
  header.setChannelHeader(channelHeaderBytes);
  header.setSignatureHeader(signatureHeaderBytes);
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const payloadBytes = payload.serializeBinary();
  const envelope = new common.Envelope();
  envelope.setPayload(payloadBytes);
  envelope.setSignature(lowSSign(creator.privateKey, payloadBytes));
  return {
    bytes: envelope.serializeBinary(),
    txId,
    channelHeader: channelHeaderBytes,
    signatureHeader: signatureHeaderBytes,
    proposalPayload,
    responsePayload,
  };
}

function mspValue(mspId: string, roots: readonly string[], intermediates: readonly string[] = []) {
  const fabric = new msp.FabricMSPConfig();
  fabric.setName(mspId);
  fabric.setRootCertsList(roots.map(utf8Encode));
  fabric.setIntermediateCertsList(intermediates.map(utf8Encode));
  fabric.setTlsRootCertsList([utf8Encode('TLS CA, not an identity CA')]);
  const config = new msp.MSPConfig();
  config.setType(0);
  config.setConfig(fabric.serializeBinary());
  const value = new common.ConfigValue();
  value.setValue(config.serializeBinary());
  value.setModPolicy('Admins');
  const group = new common.ConfigGroup();
  group.getValuesMap().set('MSP', value);
  group.setModPolicy('Admins');
  return group;
}

/** A genesis configuration block's envelope, as configtxgen writes it (no creator, no signature). */
function fabricConfigEnvelope(): Uint8Array {
  const application = new common.ConfigGroup();
  application.getGroupsMap().set('BeijingMSP', mspValue('BeijingMSP', ['BJ root']));
  application
    .getGroupsMap()
    .set('TianjinMSP', mspValue('TianjinMSP', ['TJ root 1', 'TJ root 2'], ['TJ int']));
  const idemix = new msp.MSPConfig();
  idemix.setType(1);
  const idemixValue = new common.ConfigValue();
  idemixValue.setValue(idemix.serializeBinary());
  const idemixGroup = new common.ConfigGroup();
  idemixGroup.getValuesMap().set('MSP', idemixValue);
  application.getGroupsMap().set('IdemixOrg', idemixGroup);
  const orderer = new common.ConfigGroup();
  orderer.getGroupsMap().set('OrdererOrg', mspValue('OrdererMSP', ['orderer root']));
  const channel = new common.ConfigGroup();
  channel.getGroupsMap().set('Application', application);
  channel.getGroupsMap().set('Orderer', orderer);
  const config = new common.Config();
  config.setSequence(3);
  config.setChannelGroup(channel);
  const configEnvelope = new common.ConfigEnvelope();
  configEnvelope.setConfig(config);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setChannelId(CHANNEL);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(new common.SignatureHeader().serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(configEnvelope.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope.serializeBinary();
}

function throwsProtobuf(fn: () => unknown, message: RegExp): void {
  expect(fn).to.throw(ProtobufError, message);
}

describe('Fabric envelopes (fabric-protos encodings)', () => {
  const built = fabricEndorserTransaction();

  it('reads the channel header, creator, nonce and endorsements of an endorser transaction', () => {
    const envelope = decodeFabricEnvelope(built.bytes);
    expect(envelope.channelHeader.type).to.equal(FABRIC_HEADER_TYPE.ENDORSER_TRANSACTION);
    expect(envelope.channelHeader.channelId).to.equal(CHANNEL);
    expect(envelope.channelHeader.txId).to.equal(built.txId);
    expect(envelope.channelHeader.timestamp).to.deep.equal({ seconds: 1741249800n, nanos: 123000000 });
    expect(envelope.creator?.mspId).to.equal('BeijingMSP');
    expect(envelope.creator?.certificate).to.equal(creator.certificate);
    expect(bytesToHex(envelope.creator?.serialized ?? new Uint8Array())).to.equal(
      bytesToHex(serialized(creator)),
    );
    expect(bytesToHex(envelope.nonce)).to.equal(bytesToHex(NONCE));
    expect(envelope.actions).to.have.length(1);
    const [action] = envelope.actions;
    expect(action?.endorsements.map((e) => e.endorser.mspId)).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
    expect(bytesToHex(action?.proposalResponsePayload ?? new Uint8Array())).to.equal(
      bytesToHex(built.responsePayload),
    );
  });

  it('gives the bytes Fabric signs: creator over the payload, endorsers over response ‖ endorser', () => {
    const envelope = decodeFabricEnvelope(built.bytes);
    expect(verifyP256(creator.publicKey, envelope.payload, envelope.signature)).to.equal(true);
    const action = envelope.actions[0];
    if (!action) throw new Error('no action');
    action.endorsements.forEach((e, i) => {
      const key = endorsers[i]?.publicKey ?? new Uint8Array();
      expect(verifyP256(key, fabricEndorsementMessage(action, e), e.signature), `endorser ${i}`).to.equal(
        true,
      );
    });
    expect(fabricTransactionId(envelope.nonce, envelope.creator?.serialized ?? new Uint8Array())).to.equal(
      envelope.channelHeader.txId,
    );
    expect(bytesToHex(fabricResponseProposalHash(action.proposalResponsePayload))).to.equal(
      bytesToHex(fabricProposalHash(envelope, action)),
    );
  });

  it('catches a flipped payload byte, a flipped signature byte and a changed response', () => {
    const envelope = decodeFabricEnvelope(built.bytes);
    const payload = envelope.payload.slice();
    payload[payload.length - 3] = (payload[payload.length - 3] ?? 0) ^ 0x01;
    expect(verifyP256(creator.publicKey, payload, envelope.signature)).to.equal(false);
    const signature = envelope.signature.slice();
    signature[12] = (signature[12] ?? 0) ^ 0x01;
    expect(verifyP256(creator.publicKey, envelope.payload, signature)).to.equal(false);
    const action = envelope.actions[0];
    const endorsement = action?.endorsements[0];
    if (!action || !endorsement) throw new Error('no endorsement');
    const response = action.proposalResponsePayload.slice();
    response[response.length - 1] = (response[response.length - 1] ?? 0) ^ 0x01;
    const message = fabricEndorsementMessage({ proposalResponsePayload: response }, endorsement);
    expect(verifyP256(endorsers[0]?.publicKey ?? new Uint8Array(), message, endorsement.signature)).to.equal(
      false,
    );
  });

  it('writes the same bytes as Fabric’s encoders with the small writer the explorer’s fixtures use', () => {
    const envelope = decodeFabricEnvelope(built.bytes);
    const identity = (s: Signer) =>
      protobufMessage(bytesField(1, s.mspId), bytesField(2, utf8Encode(s.certificate)));
    const channelHeader = protobufMessage(
      varintField(1, FABRIC_HEADER_TYPE.ENDORSER_TRANSACTION),
      lengthDelimitedField(3, protobufMessage(varintField(1, 1741249800), varintField(2, 123000000))),
      bytesField(4, CHANNEL),
      bytesField(5, built.txId),
      bytesField(7, utf8Encode('chaincode header extension')),
    );
    expect(bytesToHex(channelHeader)).to.equal(bytesToHex(built.channelHeader));
    const signatureHeader = protobufMessage(bytesField(1, identity(creator)), bytesField(2, NONCE));
    expect(bytesToHex(signatureHeader)).to.equal(bytesToHex(built.signatureHeader));
    const action = envelope.actions[0];
    if (!action) throw new Error('no action');
    const endorsed = protobufMessage(
      bytesField(1, built.responsePayload),
      ...action.endorsements.map((e) =>
        lengthDelimitedField(
          2,
          protobufMessage(bytesField(1, e.endorser.serialized), bytesField(2, e.signature)),
        ),
      ),
    );
    const transaction = protobufMessage(
      lengthDelimitedField(
        1,
        protobufMessage(
          bytesField(1, signatureHeader),
          bytesField(2, protobufMessage(bytesField(1, built.proposalPayload), bytesField(2, endorsed))),
        ),
      ),
    );
    const payload = protobufMessage(
      lengthDelimitedField(1, protobufMessage(bytesField(1, channelHeader), bytesField(2, signatureHeader))),
      bytesField(2, transaction),
    );
    const written = protobufMessage(bytesField(1, payload), bytesField(2, envelope.signature));
    expect(bytesToHex(written)).to.equal(bytesToHex(built.bytes));
    expect(bytesToHex(encodeVarint(-1))).to.equal('ffffffffffffffffff01');
  });

  it('reads the organisations and CA certificates of a configuration envelope', () => {
    const envelope = decodeFabricEnvelope(fabricConfigEnvelope());
    expect(envelope.channelHeader.type).to.equal(FABRIC_HEADER_TYPE.CONFIG);
    expect(envelope.creator).to.equal(undefined);
    expect(envelope.actions).to.deep.equal([]);
    const config = decodeFabricChannelConfig(envelope);
    expect(config.channelId).to.equal(CHANNEL);
    expect(config.sequence).to.equal(3n);
    expect(
      config.organisations.map(({ policies, ...o }) => ({ ...o, policies: policies.size })),
    ).to.deep.equal([
      {
        mspId: 'BeijingMSP',
        group: 'Application',
        rootCertificates: ['BJ root'],
        intermediateCertificates: [],
        policies: 0,
      },
      {
        mspId: 'TianjinMSP',
        group: 'Application',
        rootCertificates: ['TJ root 1', 'TJ root 2'],
        intermediateCertificates: ['TJ int'],
        policies: 0,
      },
      {
        mspId: 'OrdererMSP',
        group: 'Orderer',
        rootCertificates: ['orderer root'],
        intermediateCertificates: [],
        policies: 0,
      },
    ]);
    expect(config.ordererPolicies.size).to.equal(0);
    throwsProtobuf(() => decodeFabricChannelConfig(decodeFabricEnvelope(built.bytes)), /not a configuration/);
  });

  it('skips fields it does not know, of every wire type', () => {
    const unknown = concatBytes(
      varintField(15, 300),
      new Uint8Array([(13 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8]),
      concatBytes(encodeVarint((2000 << 3) | 5), new Uint8Array([1, 2, 3, 4])),
      bytesField(18, 'later field'),
    );
    const envelope = decodeFabricEnvelope(concatBytes(unknown, built.bytes, unknown));
    expect(envelope.channelHeader.txId).to.equal(built.txId);
    const identity = decodeSerializedIdentity(concatBytes(serialized(creator), unknown));
    expect(identity.mspId).to.equal('BeijingMSP');
  });

  it('refuses a truncated envelope with a ProtobufError that says where', () => {
    for (const cut of [1, 2, 40, built.bytes.length - 1]) {
      throwsProtobuf(
        () => decodeFabricEnvelope(built.bytes.subarray(0, built.bytes.length - cut)),
        /protobuf:/,
      );
    }
    throwsProtobuf(
      () => decodeFabricEnvelope(built.bytes.subarray(0, built.bytes.length - 1)),
      /Envelope: field 2 is \d+ bytes long but only \d+ bytes are left/,
    );
    throwsProtobuf(() => decodeFabricEnvelope(new Uint8Array()), /no payload/);
  });

  it('refuses a payload whose inner messages are cut short, naming the message', () => {
    const envelope = decodeFabricEnvelope(built.bytes);
    const cutPayload = envelope.payload.subarray(0, envelope.payload.length - 10);
    throwsProtobuf(
      () => decodeFabricEnvelope(protobufMessage(bytesField(1, cutPayload))),
      /Payload: field 2 is \d+ bytes long/,
    );
  });
});

describe('protobuf reader', () => {
  it('reads varints up to 64 bits and refuses longer or unterminated ones', () => {
    expect(readVarint(new Uint8Array([0xac, 0x02]), 0)).to.deep.equal({ value: 300n, next: 2 });
    expect(readVarint(encodeVarint(2n ** 64n - 1n), 0).value).to.equal(2n ** 64n - 1n);
    throwsProtobuf(() => readVarint(new Uint8Array([0x80, 0x80]), 0), /truncated/);
    throwsProtobuf(() => readVarint(new Uint8Array(11).fill(0x80), 0), /longer than 10 bytes/);
    throwsProtobuf(
      () => readVarint(new Uint8Array([...new Array<number>(9).fill(0xff), 0x02]), 0),
      /wider than 64 bits/,
    );
  });

  it('refuses groups, unknown wire types, field number 0 and fixed fields past the end', () => {
    throwsProtobuf(() => protobufFields(new Uint8Array([(1 << 3) | 3])), /wire type 3/);
    throwsProtobuf(() => protobufFields(new Uint8Array([(1 << 3) | 7])), /wire type 7/);
    throwsProtobuf(() => protobufFields(new Uint8Array([0x00, 0x01])), /invalid field number 0/);
    throwsProtobuf(() => protobufFields(new Uint8Array([(1 << 3) | 1, 1, 2])), /needs 8 bytes/);
    throwsProtobuf(() => protobufFields(new Uint8Array([(1 << 3) | 5, 1])), /needs 4 bytes/);
  });

  it('refuses a field of the wrong wire type and a string that is not UTF-8', () => {
    const message = ProtobufMessage.decode(
      protobufMessage(varintField(1, 5), bytesField(2, new Uint8Array([0xff]))),
      'M',
    );
    throwsProtobuf(() => message.bytes(1, 'payload'), /M\.payload \(field 1\) has wire type 0, expected 2/);
    throwsProtobuf(() => message.string(2, 'name'), /not valid UTF-8/);
    throwsProtobuf(
      () =>
        decodeSerializedIdentity(protobufMessage(bytesField(1, 'X'), bytesField(2, new Uint8Array([0xc3])))),
      /id_bytes is not UTF-8 text/,
    );
  });

  it('keeps the last of a repeated scalar, merges a repeated message, reads negative int32', () => {
    const inner = (n: number, v: number) => lengthDelimitedField(3, protobufMessage(varintField(n, v)));
    const message = ProtobufMessage.decode(
      protobufMessage(varintField(1, 1), varintField(1, 2), inner(1, 7), inner(2, 9), varintField(4, -5)),
      'M',
    );
    expect(message.uint(1, 'a')).to.equal(2n);
    const merged = message.message(3, 'm', 'Inner');
    expect([merged?.uint(1, 'x'), merged?.uint(2, 'y')]).to.deep.equal([7n, 9n]);
    expect(message.int32(4, 'n')).to.equal(-5);
    expect(message.message(9, 'absent', 'Inner')).to.equal(undefined);
  });
});

describe('ECDSA signature forms used for Fabric', () => {
  it('tells the high-S twin of a signature from the low-S one', () => {
    const signature = lowSSign(creator.privateKey, utf8Encode('m'));
    const { r, s } = ecdsaSignatureComponents(signature);
    const twin = derSequence(derInteger(r), derInteger(P256_ORDER - s));
    expect(isLowSSignature(signature)).to.equal(true);
    expect(isLowSSignature(twin)).to.equal(false);
    expect(verifyP256(creator.publicKey, utf8Encode('m'), twin)).to.equal(false);
    expect(verifyP256(creator.publicKey, utf8Encode('m'), twin, { lowS: false })).to.equal(true);
  });
});
