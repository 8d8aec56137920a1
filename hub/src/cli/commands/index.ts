import { type CliCommand } from '../cli-command';
import { authoritySimCommand } from './authority-sim';
import { anchorsCommand } from './anchors';
import { enrollCommand } from './enroll';
import { verifyChainCommand } from './verify-chain';
import { dlqCommand } from './dlq';
import { exportProofCommand } from './export-proof';
import { importCommand } from './import';
import { reconcileCommand } from './reconcile';
import { registryCommand } from './registry';
import { tokenCommand } from './token';
import { verifyCommand } from './verify';
import { tlogCommand, trustCommand } from './trust';
import { witnessCommand } from './witness';

/** Every `ledger` sub-command, in help order. A new command is a module here and one line in this list. */
export const commands: readonly CliCommand[] = [
  tokenCommand,
  verifyCommand,
  verifyChainCommand,
  exportProofCommand,
  importCommand,
  dlqCommand,
  reconcileCommand,
  enrollCommand,
  registryCommand,
  trustCommand,
  tlogCommand,
  witnessCommand,
  authoritySimCommand,
  anchorsCommand,
];
