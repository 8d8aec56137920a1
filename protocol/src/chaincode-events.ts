/** Names of the chaincode events (one per transaction), as clients subscribe to them. */
export const CHAINCODE_EVENTS = {
  MilestonesRecorded: 'MilestonesRecorded',
  CertificateIssued: 'CertificateIssued',
  CertificateRevoked: 'CertificateRevoked',
  CreditRecorded: 'CreditRecorded',
  IssuerGranted: 'IssuerGranted',
  RecognitionRequested: 'RecognitionRequested',
  RecognitionDecided: 'RecognitionDecided',
  SignerChanged: 'SignerChanged',
  CheckpointRecorded: 'CheckpointRecorded',
} as const;

export type ChaincodeEventName = keyof typeof CHAINCODE_EVENTS;

/** The most records one ledger transaction accepts (larger batches fail with BATCH_TOO_LARGE). */
export const MAX_BATCH = 500;
