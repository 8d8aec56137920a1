/**
 * Typed chaincode queries (evaluate: nothing is ordered), run as the hub's reader identity. The shapes are
 * the chaincode's own entry types, re-exported by @approval-ledger/chaincode.
 *
 * Under the namespace plan a record is in its region's namespace (a recognition: its pair's), and a query
 * that names only a number or an id does not say which: given the region (the chain index knows it for
 * anything it indexed) it asks that namespace; otherwise it asks each candidate namespace in turn and answers
 * from the first that holds the record (NOT_FOUND from all: NOT_FOUND). In the legacy mode, one namespace.
 */
import { REGION_CODES, type RegionCode } from '@approval-ledger/protocol';
import {
  type CertificateEntry,
  type CertificateView,
  type CreditStanding,
  type RecognitionView,
} from '@approval-ledger/chaincode';
import { type CertificateStatusView } from '@approval-ledger/protocol/api';
import {
  type LedgerIdentity,
  type LedgerPort,
  type LedgerScope,
  pairScope,
  parseResult,
  RecordNotFoundError,
  regionScope,
} from '../ledger';

/** Every pair of regions, once. */
const PAIR_SCOPES: readonly LedgerScope[] = REGION_CODES.flatMap((a, i) =>
  REGION_CODES.slice(i + 1).map((b) => pairScope(a, b)),
);

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

  /** A certificate, from its region's namespace (`region` when known, else the first that holds it). */
  certificate(number: string, region?: RegionCode): Promise<CertificateView> {
    return this.#first(this.#regions(region), 'certificates:Get', [number]);
  }

  certificateValidAt(number: string, at: string, region?: RegionCode): Promise<CertificateValidity> {
    return this.#first(this.#regions(region), 'certificates:ValidAt', [number, at]);
  }

  certificateHistory(number: string, region?: RegionCode): Promise<HistoryItem<CertificateEntry>[]> {
    return this.#first(this.#regions(region), 'certificates:History', [number]);
  }

  /** A recognition, from its pair's namespace (`regions` when known, else the first that holds it). */
  recognition(id: string, regions?: readonly [RegionCode, RegionCode]): Promise<RecognitionView> {
    const scopes = regions ? [pairScope(...regions)] : PAIR_SCOPES;
    return this.#first(scopes, 'recognition:Get', [id]);
  }

  /** Recognitions between two regions, from their pair's namespace. */
  recognitions(source: RegionCode, target: RegionCode, status: string): Promise<RecognitionView[]> {
    return this.#query('recognition:List', [source, target, status], pairScope(source, target));
  }

  /** The chaincode reads every region's namespace itself (chaincode-to-chaincode). */
  creditStanding(uscc: string): Promise<CreditStanding> {
    return this.#query('credit:Standing', [uscc]);
  }

  #regions(region: RegionCode | undefined): LedgerScope[] {
    return (region ? [region] : REGION_CODES).map(regionScope);
  }

  /** The answer of the first namespace that holds the record; one namespace in the legacy mode. */
  async #first<T>(scopes: readonly LedgerScope[], fn: string, args: readonly string[]): Promise<T> {
    const candidates = this.ledger.namespaceMode === 'legacy' ? scopes.slice(0, 1) : scopes;
    let notFound: unknown;
    for (const scope of candidates) {
      try {
        return await this.#query<T>(fn, args, scope);
      } catch (error) {
        if (!(error instanceof RecordNotFoundError)) throw error;
        notFound = error;
      }
    }
    throw notFound;
  }

  async #query<T>(fn: string, args: readonly string[], scope?: LedgerScope): Promise<T> {
    const result = await this.ledger.evaluate(this.#identity, fn, args, scope ? { scope } : {});
    return parseResult<T>(result) as T;
  }
}
