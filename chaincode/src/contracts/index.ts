export { CertificatesContract } from './certificates.contract';
export { CheckpointsContract } from './checkpoints.contract';
export { CreditContract } from './credit.contract';
export { IssuersContract } from './issuers.contract';
export { MilestonesContract } from './milestones.contract';
export { RecognitionContract } from './recognition.contract';
export { StateContract } from './state.contract';
