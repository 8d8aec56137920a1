// Object types of the composite keys (LevelDB-safe: exact keys and partial-key ranges only).
// Every record has its own primary key, so parallel writes of different departments never touch a
// shared key (no counters, no lists in one value). Index keys exist only where a chaincode rule reads
// them (revocations by stage, recognitions by subject, credit by enterprise, signatures used); lookups
// for people (a project's trail, by document, by commitment, by department and day) are answered by the
// chain index each hub derives from its own peer's blocks, not by extra writes on every peer.
export const KEY = {
  /** [id] -> MilestoneEntry */
  milestone: 'milestone',
  /** [id, version (7 digits)] -> MilestoneEntry: a version superseded by a correction (the current is under milestone) */
  milestoneVersion: 'milestone~version',
  /**
   * [projectCode, region, dept, stage, decidedAt (UTC), id] -> id, for REVOKED milestones only: the revocations
   * that may revoke a decision of that stage, found without reading the project's whole trail
   */
  milestoneRevocation: 'milestone~revocation',
  /** [number] -> CertificateEntry */
  certificate: 'certificate',
  /** [number, version (7 digits)] -> CertificateEntry: a version superseded by a correction */
  certificateVersion: 'certificate~version',
  /** [region, dept, validFrom (UTC)] -> IssuerGrantEntry */
  issuerGrant: 'issuer-grant',
  /** [id] -> CreditEntry */
  credit: 'credit',
  /** [uscc, region] -> CreditEntry: the latest evaluation of the enterprise by that region */
  creditLatest: 'credit~latest',
  /** [uscc, evaluatedAt (UTC), id] -> id */
  creditByUscc: 'credit~uscc',
  /** [id] -> RecognitionEntry (key-level policy: both regions) */
  recognition: 'recognition',
  /** [subjectType, subjectId, id] -> id */
  recognitionBySubject: 'recognition~subject',
  /** [sourceRegion, targetRegion, id] -> id */
  recognitionByRoute: 'recognition~route',
  /** [sha256 of signature] -> recognition id: a signature is accepted once */
  recognitionSignature: 'recognition~signature',
  /** [region, address] -> SignerEntry */
  signer: 'signer',
  /** [id] -> CheckpointEntry */
  checkpoint: 'checkpoint',
  /** [region, createdAt (UTC), id] -> id */
  checkpointByRegion: 'checkpoint~region',
} as const;

export type KeyType = (typeof KEY)[keyof typeof KEY];
