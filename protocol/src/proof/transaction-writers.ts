/**
 * Which chaincode functions anchor which records, where the anchor sits in the arguments, and how the
 * function's response shows that this very transaction wrote it (rather than finding it already there).
 */
import { parseMilestoneBatchResult } from '../chaincode-events.js';
import { type ProofRecordKind } from './proof-bundle.js';

type Json = Record<string, unknown>;

export interface AnchorWriter {
  readonly kind: ProofRecordKind;
  /** The anchors the call submitted. */
  anchors(args: readonly string[]): unknown[];
  /** True when the response says this transaction wrote the record `id` (not a repeat of an earlier one). */
  wrote(response: unknown, id: string, txId: string): boolean;
}

const single = (args: readonly string[]): unknown[] => [parseJson(args[0])];

const entryWritten = (key: 'id' | 'number') => (response: unknown, id: string, txId: string) =>
  isObject(response) && response[key] === id && response.txId === txId;

export const ANCHOR_WRITERS: Readonly<Record<string, AnchorWriter>> = {
  'milestones:RecordBatch': {
    kind: 'milestone',
    anchors: (args) => {
      const list = parseJson(args[0]);
      return Array.isArray(list) ? (list as unknown[]) : [];
    },
    wrote: (response, id, txId) => {
      if (!isObject(response)) return false;
      // results written before the compact form named every record's receipt
      if (Array.isArray(response.receipts))
        return (response.receipts as unknown[]).some(
          (r) => isObject(r) && r.id === id && r.status === 'RECORDED' && r.txId === txId,
        );
      // the compact result names only the unchanged records; every other record of the call was written
      const result = parseMilestoneBatchResult(response);
      return typeof result !== 'string' && result.recorded > 0 && !result.unchanged.some((u) => u.id === id);
    },
  },
  'milestones:Record': { kind: 'milestone', anchors: single, wrote: entryWritten('id') },
  'certificates:Issue': { kind: 'certificate', anchors: single, wrote: entryWritten('number') },
  'credit:Record': { kind: 'credit', anchors: single, wrote: entryWritten('id') },
};

export const REVOKE_FUNCTION = 'certificates:Revoke';

/** The identifier of an anchor: a certificate's number, otherwise its id. */
export function anchorId(kind: ProofRecordKind, anchor: unknown): string | undefined {
  if (!isObject(anchor)) return undefined;
  const id = kind === 'certificate' ? anchor.number : anchor.id;
  return typeof id === 'string' ? id : undefined;
}

/** True when a revocation response shows that transaction `txId` revoked certificate `number`. */
export function revocationWritten(response: unknown, number: string, txId: string): boolean {
  if (!isObject(response) || response.number !== number) return false;
  const revocation = response.revocation;
  return isObject(revocation) && revocation.txId === txId;
}

export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
