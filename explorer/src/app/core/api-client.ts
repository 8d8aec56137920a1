import { HttpClient, HttpErrorResponse, HttpParams, httpResource } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type RecognitionDecision, type VerifiableProofBundle } from '@approval-ledger/protocol';
import { firstValueFrom } from 'rxjs';
import {
  type AnchorPage,
  type AuditPage,
  type BlockJson,
  type BlockPage,
  type CertificateStatusView,
  type DashboardStats,
  type DeadLetterList,
  type Problem,
  type ProjectProvenance,
  type ProjectSearchResult,
  type AnyProofBundle,
  type RecognitionBoard,
  type RecognitionResult,
  type ReconciliationReport,
  type TlogStatus,
  type TransactionJson,
  type VerifyResponse,
} from '@approval-ledger/protocol/api';

export const API_BASE = '/api/v1';
export const AUDIT_PAGE = 100;

type Query = Readonly<Record<string, string | number | undefined>>;

/** `/api/v1/<path>` with each path segment URL-encoded. */
export function apiUrl(...segments: (string | number)[]): string {
  return [API_BASE, ...segments.map((s) => encodeURIComponent(String(s)))].join('/');
}

function params(query: Query): HttpParams {
  let result = new HttpParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') result = result.set(name, String(value));
  }
  return result;
}

/** A human sentence for a failed call: the problem+json title/detail when the hub sent one. */
export function problemMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const problem = error.error as Partial<Problem> | string | null;
    if (problem && typeof problem === 'object' && (problem.detail || problem.title)) {
      const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
      return [problem.title, problem.detail, fields].filter(Boolean).join(' — ');
    }
    return error.status === 0 ? 'the hub is not reachable' : `${error.status} ${error.statusText}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The hub's HTTP API, typed. Reads that a page shows are `httpResource`s (call them in an injection context:
 * a component's field initialiser); one-off reads and writes return promises.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  readonly #http = inject(HttpClient);

  projectResource(code: () => string | undefined) {
    return httpResource<ProjectProvenance>(() => {
      const value = code();
      return value ? apiUrl('projects', value) : undefined;
    });
  }

  projectSearchResource(query: () => string | undefined) {
    return httpResource<ProjectSearchResult>(() => {
      const value = query();
      return value ? { url: apiUrl('projects'), params: { q: value } } : undefined;
    });
  }

  statsResource() {
    return httpResource<DashboardStats>(() => apiUrl('stats'));
  }

  /** Admin and auditor only: an empty answer for other roles (the dashboard leaves the section out). */
  reconciliationResource(enabled: () => boolean) {
    return httpResource<ReconciliationReport>(() => (enabled() ? apiUrl('reconciliation') : undefined));
  }

  deadLettersResource(enabled: () => boolean) {
    return httpResource<DeadLetterList>(() =>
      enabled() ? { url: apiUrl('dlq'), params: { replayed: 'false', limit: 1000 } } : undefined,
    );
  }

  certificateResource(request: () => { number: string; at?: string } | undefined) {
    return httpResource<CertificateStatusView>(() => {
      const value = request();
      if (!value) return undefined;
      return { url: apiUrl('certificates', value.number), params: params({ at: value.at }) };
    });
  }

  recognitionsResource(filter: () => Query) {
    return httpResource<RecognitionBoard>(() => ({
      url: apiUrl('recognitions'),
      params: params(filter()),
    }));
  }

  /** The transparency log: origin, key, latest checkpoint, witnesses (public). */
  tlogStatusResource() {
    return httpResource<TlogStatus>(() => apiUrl('checkpoints', 'status'));
  }

  /** The checkpoints anchored on the EVM chain, newest first (public; 503 when the hub anchors nothing). */
  anchorsResource() {
    return httpResource<AnchorPage>(() => ({ url: apiUrl('anchors'), params: { limit: 20 } }));
  }

  blockPageResource(page: () => { before?: number; limit: number }) {
    return httpResource<BlockPage>(() => ({ url: apiUrl('blocks'), params: params(page()) }));
  }

  blockResource(blockNumber: () => number | undefined) {
    return httpResource<BlockJson>(() => {
      const value = blockNumber();
      return value === undefined ? undefined : apiUrl('blocks', value);
    });
  }

  transactionResource(txId: () => string | undefined) {
    return httpResource<TransactionJson>(() => {
      const value = txId();
      return value ? apiUrl('transactions', value) : undefined;
    });
  }

  /** The audit log from sequence number `after` on, oldest first. */
  auditResource(after: () => number | undefined) {
    return httpResource<AuditPage>(() => ({
      url: apiUrl('audit-log'),
      params: params({ after: after(), limit: AUDIT_PAGE }),
    }));
  }

  block(blockNumber: number): Promise<BlockJson> {
    return firstValueFrom(this.#http.get<BlockJson>(apiUrl('blocks', blockNumber)));
  }

  blockPage(page: { before?: number; limit: number }): Promise<BlockPage> {
    return firstValueFrom(this.#http.get<BlockPage>(apiUrl('blocks'), { params: params(page) }));
  }

  /** Verifies a hash; the proof bundle of each match comes embedded, to be checked here. */
  verifyHash(sha256: string): Promise<VerifyResponse> {
    return firstValueFrom(this.#http.post<VerifyResponse>(apiUrl('verify'), { sha256, bundle: true }));
  }

  /** Uploads the document itself (multipart `document`): only ever on the user's explicit request. */
  verifyDocument(file: File): Promise<VerifyResponse> {
    const form = new FormData();
    form.append('document', file, file.name);
    return firstValueFrom(
      this.#http.post<VerifyResponse>(apiUrl('verify'), form, { params: params({ bundle: 'true' }) }),
    );
  }

  /** A proof bundle by the link a verify match gives (`/api/v1/proofs/:kind/:id?sha256=`). */
  proofBundle(href: string): Promise<AnyProofBundle> {
    if (!href.startsWith(`${API_BASE}/`)) return Promise.reject(new Error(`not an API link: ${href}`));
    return firstValueFrom(this.#http.get<AnyProofBundle>(href));
  }

  /**
   * The proof bundle v2 of a verify match (`GET /proofs/:kind/:id?version=2`): the same link with `version=2`.
   * Refused (422) while the record's block is in no checkpoint yet, 503 when the hub runs no transparency log.
   */
  proofBundleV2(href: string): Promise<VerifiableProofBundle> {
    if (!href.startsWith(`${API_BASE}/`)) return Promise.reject(new Error(`not an API link: ${href}`));
    return firstValueFrom(
      this.#http.get<VerifiableProofBundle>(`${href}${href.includes('?') ? '&' : '?'}version=2`),
    );
  }

  decideRecognition(decision: RecognitionDecision): Promise<RecognitionResult> {
    return firstValueFrom(
      this.#http.post<RecognitionResult>(
        apiUrl('recognitions', decision.recognitionId, 'decision'),
        decision,
      ),
    );
  }
}
