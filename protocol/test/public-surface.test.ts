import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../src/index.js';
import * as testing from '../src/testing/index.js';
import { VECTORS_DIR } from './shared-vectors.js';

const SRC = join(__dirname, '..', 'src');

function mainPathFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return mainPathFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(test|bench)\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('public surface of @approval-ledger/protocol', () => {
  it('exports what the interface contract and the other packages use', () => {
    const expected = [
      'canonicalize',
      'sha256Hex',
      'sha256',
      'hexToBytes',
      'bytesToHex',
      'utf8Encode',
      'merkleRoot',
      'inclusionProof',
      'verifyInclusion',
      'leafHash',
      'nodeHash',
      'isValidUscc',
      'generateUscc',
      'streamConfig',
      'revokesMilestone',
      'checkUscc',
      'parseProjectCode',
      'isValidProjectCode',
      'parseTimestamp',
      'legacyLocalToIso',
      'parseLegacyDate',
      'regionByMspId',
      'regionOfDivision',
      'approvalPlan',
      'topologicalOrder',
      'planProgress',
      'recordIdOf',
      'toMilestoneAnchor',
      'toCertificateAnchor',
      'toCreditAnchor',
      'envelopeSubject',
      'natsMsgId',
      'receiptSubject',
      'dlqSubject',
      'recognitionSubject',
      'validate',
      'ProtocolValidationError',
      'newSalt',
      'commitment',
      'verifyCommitment',
      'recognitionDecisionDigest',
      'recoverRecognitionSigner',
      'checkpointDigest',
      'recoverCheckpointSigner',
      'ledgerErrorMessage',
      'parseLedgerError',
      'LedgerError',
    ];
    expected.forEach((name) => expect(api, name).to.have.property(name).that.is.a('function'));
    const constants = [
      'REGIONS',
      'DEPARTMENTS',
      'ROLES',
      'PHASES',
      'STAGES',
      'DECISIONS',
      'CERTIFICATE_TYPES',
      'PROJECT_TYPES',
      'STREAMS',
      'STREAM_NAMES',
      'DLQ_HEADERS',
      'DLQ_CODES',
      'USCC_SEQUENCE_SIZE',
      'EIP712_DOMAIN',
      'RECOGNITION_DECISION_TYPES',
      'CHECKPOINT_TYPES',
      'LEDGER_ERROR_CODES',
      'CHAINCODE_EVENTS',
      'ROLE_ATTRIBUTE',
      'DEPT_ATTRIBUTE',
    ];
    constants.forEach((name) => expect(api, name).to.have.property(name));
    expect(api.MAX_BATCH).to.equal(500);
    const schemas = Object.keys(api).filter((k) => k.endsWith('Schema'));
    expect(schemas).to.include.members([
      'SourceRefSchema',
      'DocumentRefSchema',
      'MilestoneSchema',
      'CertificateSchema',
      'CertificateRevocationSchema',
      'CreditEventSchema',
      'RecognitionRequestSchema',
      'RecognitionDecisionSchema',
      'RecognitionStatusSchema',
      'CheckpointSchema',
      'AnchorRefSchema',
      'IssuerGrantSchema',
      'SignerRegistrationSchema',
      'MilestoneAnchorSchema',
      'CertificateAnchorSchema',
      'CreditAnchorSchema',
      'EnvelopeSchema',
      'ReceiptSchema',
    ]);
  });

  it('keeps the sample records of tests out of the root entry point (they are `@approval-ledger/protocol/testing`)', () => {
    expect(Object.keys(testing)).to.include.members([
      'sampleMilestone',
      'numberedMilestone',
      'signedDecision',
    ]);
    Object.keys(testing).forEach((name) => expect(api, name).to.not.have.property(name));
  });

  it('names the chaincode events', () => {
    expect(Object.values(api.CHAINCODE_EVENTS)).to.deep.equal([
      'MilestonesRecorded',
      'CertificateIssued',
      'CertificateRevoked',
      'CreditRecorded',
      'IssuerGranted',
      'RecognitionRequested',
      'RecognitionDecided',
      'SignerChanged',
      'CheckpointRecorded',
    ]);
  });

  it('uses nothing Node-only on the main path, so browsers run the same code', () => {
    const files = mainPathFiles();
    expect(files).to.not.be.empty;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).to.not.match(/from ['"]node:|require\(|\bBuffer\b|\bprocess\.|__dirname/);
    }
  });

  it('runs a data-driven test for every shared vector file', () => {
    expect(readdirSync(VECTORS_DIR).sort()).to.deep.equal([
      'jcs-rfc8785.json',
      'merkle-rfc6962.json',
      'project-codes.json',
      'uscc-gb32100.json',
    ]);
  });
});
