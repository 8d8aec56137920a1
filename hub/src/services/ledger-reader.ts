/**
 * Typed chaincode queries (evaluate: nothing is ordered), run as the hub's reader identity. The shapes are
 * the chaincode's own entry types, re-exported by @approval-ledger/chaincode.
 */
import { type RegionCode } from '@approval-ledger/protocol';
import {
  type CertificateEntry,
  type CertificateView,
  type CreditStanding,
  type RecognitionView,
} from '@approval-ledger/chaincode';
import { type CertificateStatusView } from '@approval-ledger/protocol/api';
import { type LedgerIdentity, type LedgerPort, parseResult } from '../ledger';

/** `certificates:ValidAt`: the status at a time, from the key's history (as `GET /certificates` shows it). */
export type CertificateValidity = Pick<
  CertificateStatusView,
  'number' | 'at' | 'valid' | 'status' | 'history'
> & {
  readonly recorded: CertificateStatusView['recordedAt'];
};

export interface HistoryItem<T> {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly value?: T;
}

export class LedgerReader {
  readonly #identity: LedgerIdentity;

  constructor(
    private readonly ledger: LedgerPort,
    region: RegionCode,
  ) {
    this.#identity = { region, role: 'auditor' };
  }

  certificate(number: string): Promise<CertificateView> {
    return this.#query('certificates:Get', [number]);
  }

  certificateValidAt(number: string, at: string): Promise<CertificateValidity> {
    return this.#query('certificates:ValidAt', [number, at]);
  }

  certificateHistory(number: string): Promise<HistoryItem<CertificateEntry>[]> {
    return this.#query('certificates:History', [number]);
  }

  recognition(id: string): Promise<RecognitionView> {
    return this.#query('recognition:Get', [id]);
  }

  recognitions(source: string, target: string, status: string): Promise<RecognitionView[]> {
    return this.#query('recognition:List', [source, target, status]);
  }

  creditStanding(uscc: string): Promise<CreditStanding> {
    return this.#query('credit:Standing', [uscc]);
  }

  async #query<T>(fn: string, args: readonly string[]): Promise<T> {
    return parseResult<T>(await this.ledger.evaluate(this.#identity, fn, args)) as T;
  }
}
