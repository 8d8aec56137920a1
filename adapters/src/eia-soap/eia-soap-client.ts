/**
 * The only code that knows the EIA approval service: SOAP 1.1 `QueryApprovals` with cursor paging over HTTP.
 * Each page is decoded by its declared encoding and parsed with DTDs off; each `eia:Approval` is read by
 * namespace URI and mapped on its own, its raw XML kept for the dead-letter queue. A response that cannot be
 * read (a DTD, bad bytes, not SOAP) is dead-lettered whole and asked for again later from the same cursor.
 */
import { DLQ_CODES } from '@approval-ledger/protocol';
import { z } from 'zod';
import { issue, mappingFailure } from '../core/dead-letter';
import { encodeLegacyText, type LegacyEncoding } from '../core/legacy-text';
import { LegacyUnavailableError } from '../core/legacy-unavailable.error';
import { type LegacyRecord } from '../core/ledger-publisher';
import { type PollingSource, type SourceBatch } from '../core/polling-loop';
import { type EiaSoapConfig } from './config';
import {
  XmlRefusedError,
  child,
  children,
  decodeXml,
  escapeXml,
  parseXml,
  type XmlElement,
} from './safe-xml';
import { eiaApprovalToEnvelopes, type EiaApproval } from './to-envelope';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

export const EiaCheckpointSchema = z.strictObject({ cursor: z.string().max(4096).nullable() });
export type EiaCheckpoint = z.infer<typeof EiaCheckpointSchema>;

/** A SOAP Fault of the service. */
export class SoapFaultError extends Error {
  override readonly name = 'SoapFaultError';

  constructor(
    readonly faultCode: string,
    readonly faultString: string,
  ) {
    super(`SOAP fault ${faultCode}: ${faultString}`);
  }
}

interface Page {
  readonly approvals: readonly { readonly approval: EiaApproval; readonly raw: string }[];
  readonly nextCursor: string | undefined;
  /** `eia:Page@total`: approvals the service holds (informational). */
  readonly total: number | undefined;
  readonly encoding: LegacyEncoding;
}

export class EiaSoapClient implements PollingSource<EiaCheckpoint> {
  /** 0 once a page came back short (caught up); unknown while full pages keep coming. */
  #backlog: number | undefined;

  constructor(private readonly config: EiaSoapConfig) {}

  async next(previous: EiaCheckpoint | undefined, signal: AbortSignal): Promise<SourceBatch<EiaCheckpoint>> {
    const cursor = previous?.cursor ?? null;
    const response = await this.#post(cursor, signal);
    let page: Page;
    try {
      page = this.#readPage(response.bytes, response.contentType);
    } catch (error) {
      if (!(error instanceof XmlRefusedError)) throw error;
      return this.#refused(previous, cursor, response.bytes, error);
    }
    const emittedAt = new Date().toISOString();
    const records = page.approvals.map(({ approval, raw }) =>
      this.#record(approval, raw, page.encoding, emittedAt),
    );
    const nextCursor = page.nextCursor ?? cursor;
    const more = page.approvals.length >= this.config.soap.pageSize && nextCursor !== cursor;
    this.#backlog = more ? undefined : 0;
    return { records, checkpoint: { cursor: nextCursor }, more };
  }

  /** The service does not say how many approvals are left after a cursor: 0 when caught up, else unknown. */
  backlog(): Promise<number | undefined> {
    return Promise.resolve(this.#backlog);
  }

  async #post(
    cursor: string | null,
    signal: AbortSignal,
  ): Promise<{ bytes: Buffer; contentType: string | null }> {
    const { soap } = this.config;
    let response: Response;
    try {
      response = await fetch(soap.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          SOAPAction: `"${soap.soapAction ?? `${soap.namespace}/QueryApprovals`}"`,
        },
        body: requestBody(soap.namespace, cursor, soap.pageSize),
        signal: AbortSignal.any([signal, AbortSignal.timeout(soap.requestTimeoutMs)]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new LegacyUnavailableError('EIA service', `${soap.endpoint}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const bytes = await this.#body(response);
    if (response.status >= 500 && !isFault(bytes)) {
      throw new LegacyUnavailableError('EIA service', `${soap.endpoint} answered HTTP ${response.status}`);
    }
    return { bytes, contentType: response.headers.get('content-type') };
  }

  async #body(response: Response): Promise<Buffer> {
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > this.config.soap.maxResponseBytes) {
      await response.body?.cancel();
      throw new LegacyUnavailableError('EIA service', `response of ${length} bytes is over the limit`);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > this.config.soap.maxResponseBytes) {
      throw new LegacyUnavailableError('EIA service', `response of ${bytes.length} bytes is over the limit`);
    }
    return bytes;
  }

  #readPage(bytes: Buffer, contentType: string | null): Page {
    const { text, encoding } = decodeXml(bytes, contentType);
    const root = parseXml(text);
    if (root.uri !== SOAP_ENV_NS || root.local !== 'Envelope') {
      throw new XmlRefusedError(
        'DECODING_FAILED',
        `not a SOAP 1.1 envelope: root element is {${root.uri}}${root.local}`,
      );
    }
    const body = child(root, SOAP_ENV_NS, 'Body');
    throwIfFault(body);
    const ns = this.config.soap.namespace;
    const result = child(body, ns, 'QueryApprovalsResponse');
    if (result === undefined)
      throw new XmlRefusedError('DECODING_FAILED', `no {${ns}}QueryApprovalsResponse in the SOAP body`);
    return {
      approvals: children(result, ns, 'Approval').map((e) => ({
        approval: readApproval(e, ns),
        raw: text.slice(e.start, e.end),
      })),
      ...pageAttributes(child(result, ns, 'Page')),
      encoding,
    };
  }

  #record(approval: EiaApproval, raw: string, encoding: LegacyEncoding, emittedAt: string): LegacyRecord {
    const { config } = this;
    const source = `${config.sourceSystem}:${approval.recordId?.trim() || '?'}:${approval.revision?.trim() || '?'}`;
    const mapped = eiaApprovalToEnvelopes(approval, {
      region: config.region,
      sourceSystem: config.sourceSystem,
      dataClass: config.dataClass,
      emittedAt,
    });
    // the element exactly as the service sent it, in its encoding
    const changedAtMs = Date.parse(approval.decisionTime ?? '');
    return {
      source,
      raw: encodeLegacyText(raw, encoding),
      mapped,
      ...(Number.isNaN(changedAtMs) ? {} : { changedAtMs }),
    };
  }

  #refused(
    previous: EiaCheckpoint | undefined,
    cursor: string | null,
    bytes: Buffer,
    error: XmlRefusedError,
  ): SourceBatch<EiaCheckpoint> {
    const source = `${this.config.soap.endpoint}#cursor=${cursor ?? ''}`;
    const why = issue('soap:Envelope', error.code === 'UNSAFE_XML' ? 'xml.dtd' : 'xml.decode', error.message);
    const record: LegacyRecord = { source, raw: bytes, mapped: mappingFailure(DLQ_CODES[error.code], [why]) };
    return { records: [record], checkpoint: previous, more: false, problem: error };
  }
}

export function requestBody(namespace: string, cursor: string | null, pageSize: number): string {
  const cursorElement = cursor === null ? '' : `<eia:Cursor>${escapeXml(cursor)}</eia:Cursor>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}" xmlns:eia="${escapeXml(namespace)}"><soap:Body>` +
    `<eia:QueryApprovals>${cursorElement}<eia:PageSize>${pageSize}</eia:PageSize></eia:QueryApprovals>` +
    `</soap:Body></soap:Envelope>`
  );
}

/** `eia:Page@nextCursor` and `@total`. */
function pageAttributes(page: XmlElement | undefined): {
  nextCursor: string | undefined;
  total: number | undefined;
} {
  const { nextCursor, total } = page?.attributes ?? {};
  return {
    nextCursor: nextCursor?.trim() || undefined,
    total: total !== undefined && /^\d+$/.test(total) ? Number(total) : undefined,
  };
}

/** The fields of one `eia:Approval` element, as text. */
export function readApproval(e: XmlElement, ns: string): EiaApproval {
  const text = (local: string): string | undefined => child(e, ns, local)?.text;
  const applicant = child(e, ns, 'Applicant');
  const result = child(e, ns, 'Result');
  return {
    docNo: text('DocNo'),
    recordId: text('RecordId'),
    revision: text('Revision'),
    projectCode: text('ProjectCode'),
    projectName: text('ProjectName'),
    applicantName: applicant?.text,
    applicantUscc: applicant?.attributes.uscc,
    category: text('Category'),
    resultCode: result?.attributes.code,
    resultText: result?.text,
    decisionTime: text('DecisionTime'),
    attachments: children(e, ns, 'Attachment').map((a) => ({
      name: a.attributes.name,
      sha256: a.attributes.sha256,
      bytes: a.attributes.bytes,
    })),
  };
}

function isFault(bytes: Buffer): boolean {
  return bytes.subarray(0, 4096).includes('Fault');
}

/** soap:Server faults are the service's trouble (retried); soap:Client faults are ours (also retried, and shown). */
function throwIfFault(body: XmlElement | undefined): void {
  const fault = child(body, SOAP_ENV_NS, 'Fault');
  if (fault === undefined) return;
  const code = fault.children.find((c) => c.local === 'faultcode')?.text.trim() ?? '?';
  const message = fault.children.find((c) => c.local === 'faultstring')?.text.trim() ?? '';
  if (/Server$/.test(code)) throw new LegacyUnavailableError('EIA service', `SOAP fault ${code}: ${message}`);
  throw new SoapFaultError(code, message);
}
