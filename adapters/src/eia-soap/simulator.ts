/**
 * An EIA approval service that behaves like the real one: SOAP 1.1 over HTTP, `QueryApprovals` with an opaque
 * cursor (base64 of the last change's time, record id and sequence), pages of at most PageSize approvals in change
 * order, `total`, and SOAP faults for bad requests. It starts with the sample's approvals and keeps adding new
 * ones (and revisions), now and then one with an unknown result code or an unreadable date, as real data has.
 * Tests can make it answer once with any bytes (a billion-laughs payload) or fail with HTTP 503.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { type RegionCode } from '@approval-ledger/protocol';
import { PACKAGE_DIR } from '../core/adapter-config';
import { encodeLegacyText } from '../core/legacy-text';
import {
  EIA_DOCUMENT_PREFIX,
  Random,
  makeCompanyName,
  makeProjectCode,
  makeProjectName,
  makeUscc,
  shanghaiIso,
} from '../simulation/legacy-fixtures';
import { SOAP_ENV_NS, readApproval } from './eia-soap-client';
import { child, children, decodeXml, escapeXml, parseXml } from './safe-xml';
import { type EiaApproval } from './to-envelope';
import { silentLogger } from '../core/logger';
import { startClerkTicker } from '../simulation/clerk-ticker';

export const EIA_NAMESPACE = 'http://sthjj.example.gov.cn/eia/approval/v2';
export const SAMPLE_XML = join(PACKAGE_DIR, 'samples', 'eia-query-approvals-response.xml');

interface Change {
  readonly seq: number;
  readonly changedAt: string;
  readonly approval: EiaApproval;
}

export interface EiaSoapSimulatorOptions {
  /** Where the approvals are kept (JSON lines), so that cursors stay valid across restarts. */
  readonly stateFile?: string;
  readonly host?: string;
  readonly port?: number;
  readonly region?: RegionCode;
  /** Time between two new approvals; 0: none. */
  readonly intervalMs?: number;
  /** Encoding of the responses (the XML declaration says which). */
  readonly encoding?: 'utf-8' | 'gb18030';
  /** Start with the sample's three approvals (Beijing's). Default: only for a Beijing service. */
  readonly withSample?: boolean;
  readonly seed?: number;
}

export interface EiaSoapSimulator {
  readonly endpoint: string;
  /** Adds an approval (a new one, or a new revision) at the end of the change order. */
  add(approval: EiaApproval): Promise<void>;
  /** A made-up valid approval. */
  invent(kind?: 'ok' | 'bad'): EiaApproval;
  /** The next request is answered with exactly these bytes. */
  answerOnce(body: Buffer, status?: number, contentType?: string): void;
  /** The next `count` requests fail with HTTP 503. */
  failNext(count: number): void;
  readonly requests: number;
  stop(): Promise<void>;
}

export async function startEiaSoapSimulator(
  options: EiaSoapSimulatorOptions = {},
): Promise<EiaSoapSimulator> {
  const service = new EiaService(options);
  await service.load();
  const server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  const clerk = startClerkTicker(
    () => service.tick(),
    options.intervalMs,
    silentLogger,
    'simulated approval failed',
  );
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}/services/ApprovalQuery`,
    add: (approval) => service.add(approval),
    invent: (kind) => service.invent(kind),
    answerOnce: (body, status = 200, contentType = 'text/xml; charset=utf-8') =>
      service.injected.push({ body, status, contentType }),
    failNext: (count) => (service.failures = count),
    get requests() {
      return service.requests;
    },
    stop: async () => {
      await clerk.stop();
      await closeServer(server);
    },
  };
}

class EiaService {
  readonly changes: Change[] = [];
  readonly injected: { body: Buffer; status: number; contentType: string }[] = [];
  failures = 0;
  requests = 0;
  readonly #random: Random;
  #serial = 100;

  constructor(private readonly options: EiaSoapSimulatorOptions) {
    this.#random = new Random(options.seed ?? Date.now() & 0xffff);
  }

  async load(): Promise<void> {
    const file = this.options.stateFile;
    const saved = file ? await readFile(file, 'utf8').catch(() => '') : '';
    for (const line of saved.split('\n').filter(Boolean)) this.changes.push(JSON.parse(line) as Change);
    this.#serial += this.changes.length;
    if (this.changes.length === 0 && (this.options.withSample ?? (this.options.region ?? 'BJ') === 'BJ')) {
      const root = parseXml(decodeXml(await readFile(SAMPLE_XML)).text);
      const result = child(child(root, SOAP_ENV_NS, 'Body'), EIA_NAMESPACE, 'QueryApprovalsResponse');
      for (const element of children(result, EIA_NAMESPACE, 'Approval'))
        await this.add(readApproval(element, EIA_NAMESPACE));
    }
  }

  async add(approval: EiaApproval): Promise<void> {
    const change: Change = { seq: this.changes.length + 1, changedAt: shanghaiIso(), approval };
    this.changes.push(change);
    if (this.options.stateFile) {
      await mkdir(dirname(this.options.stateFile), { recursive: true });
      await appendFile(this.options.stateFile, `${JSON.stringify(change)}\n`);
    }
  }

  async tick(): Promise<void> {
    const roll = this.#random.next();
    const last = this.changes.at(-1)?.approval;
    if (roll < 0.15 && last?.recordId !== undefined) {
      await this.add({
        ...last,
        revision: String(Number(last.revision ?? 1) + 1),
        resultCode: '1',
        resultText: '批准',
      });
      return;
    }
    await this.add(this.invent(roll > 0.95 ? 'bad' : 'ok'));
  }

  invent(kind: 'ok' | 'bad' = 'ok'): EiaApproval {
    const random = this.#random;
    const region = this.options.region ?? 'BJ';
    const serial = ++this.#serial;
    const [code, text] = random.pick([
      ['1', '批准'],
      ['1', '批准'],
      ['1', '批准'],
      ['3', '不予批准'],
      ['2', '退回补正'],
    ] as const);
    const digest = Array.from({ length: 64 }, () => '0123456789abcdef'.charAt(random.int(16))).join('');
    return {
      docNo: code === '1' ? `${EIA_DOCUMENT_PREFIX[region]}〔2025〕${serial}号` : '',
      recordId: `EIA-2025-${String(serial).padStart(4, '0')}`,
      revision: '1',
      projectCode: makeProjectCode(
        random,
        region,
        random.pick(['01', '02', '03'] as const),
        700_000 + serial,
      ),
      projectName: makeProjectName(random, region),
      applicantName: makeCompanyName(random, region),
      applicantUscc: makeUscc(random, region),
      category: random.pick(['报告书', '报告表', '登记表']),
      resultCode: kind === 'bad' ? '9' : code,
      resultText: kind === 'bad' ? '未知状态' : text,
      decisionTime: kind === 'bad' ? '2025-02-30 25:00' : shanghaiIso(),
      attachments:
        code === '1'
          ? [{ name: '批复文件.pdf', sha256: digest, bytes: String(100_000 + random.int(900_000)) }]
          : [],
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const body = await readBody(req);
    const injected = this.injected.shift();
    if (injected) return send(res, injected.status, injected.body, injected.contentType);
    if (this.failures > 0) {
      this.failures--;
      return send(res, 503, Buffer.from('Service Unavailable'), 'text/plain');
    }
    if (req.method !== 'POST') return send(res, 405, Buffer.from('POST a SOAP 1.1 envelope'), 'text/plain');
    try {
      const request = this.#request(body);
      send(res, 200, this.#page(request.cursor, request.pageSize), `text/xml; charset=${this.#encoding()}`);
    } catch (error) {
      send(res, 500, Buffer.from(fault('soap:Client', (error as Error).message)), 'text/xml; charset=utf-8');
    }
  }

  #request(body: Buffer): { cursor: string | undefined; pageSize: number } {
    const root = parseXml(decodeXml(body).text);
    const query = child(child(root, SOAP_ENV_NS, 'Body'), EIA_NAMESPACE, 'QueryApprovals');
    if (query === undefined) throw new Error('expected eia:QueryApprovals in the SOAP body');
    const size = Number(child(query, EIA_NAMESPACE, 'PageSize')?.text ?? '50');
    return {
      cursor: child(query, EIA_NAMESPACE, 'Cursor')?.text.trim(),
      pageSize: Math.min(Math.max(size, 1), 1000),
    };
  }

  #page(cursor: string | undefined, pageSize: number): Buffer {
    const after = cursor ? cursorSeq(cursor) : 0;
    const page = this.changes.slice(after, after + pageSize);
    const last = page.at(-1);
    const next = last ? makeCursor(last) : (cursor ?? '');
    const approvals = page.map((c) => approvalXml(c.approval)).join('');
    const index = Math.floor(after / pageSize) + 1;
    const xml =
      `<?xml version="1.0" encoding="${this.#encoding().toUpperCase()}"?>\n` +
      `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}" xmlns:eia="${EIA_NAMESPACE}"><soap:Body><eia:QueryApprovalsResponse>` +
      `<eia:Page index="${index}" size="${page.length}" total="${this.changes.length}"${next ? ` nextCursor="${escapeXml(next)}"` : ''}/>` +
      `${approvals}</eia:QueryApprovalsResponse></soap:Body></soap:Envelope>`;
    return encodeLegacyText(xml, this.#encoding());
  }

  #encoding(): 'utf-8' | 'gb18030' {
    return this.options.encoding ?? 'utf-8';
  }
}

function makeCursor(change: Change): string {
  return Buffer.from(`${change.changedAt}|${change.approval.recordId ?? ''}|${change.seq}`).toString(
    'base64',
  );
}

function cursorSeq(cursor: string): number {
  const seq = Number(Buffer.from(cursor, 'base64').toString('utf8').split('|')[2]);
  if (!Number.isInteger(seq) || seq < 0) throw new Error(`invalid cursor ${cursor}`);
  return seq;
}

function approvalXml(a: EiaApproval): string {
  const el = (name: string, value: string | undefined): string =>
    value === undefined ? '' : `<eia:${name}>${escapeXml(value)}</eia:${name}>`;
  const attachments = a.attachments
    .map(
      (f) =>
        `<eia:Attachment name="${escapeXml(f.name ?? '')}" sha256="${f.sha256 ?? ''}" bytes="${f.bytes ?? ''}"/>`,
    )
    .join('');
  return (
    `<eia:Approval>${el('DocNo', a.docNo)}${el('RecordId', a.recordId)}${el('Revision', a.revision)}` +
    `${el('ProjectCode', a.projectCode)}${el('ProjectName', a.projectName)}` +
    `<eia:Applicant uscc="${escapeXml(a.applicantUscc ?? '')}">${escapeXml(a.applicantName ?? '')}</eia:Applicant>` +
    `${el('Category', a.category)}<eia:Result code="${escapeXml(a.resultCode ?? '')}">${escapeXml(a.resultText ?? '')}</eia:Result>` +
    `${el('DecisionTime', a.decisionTime)}${attachments}</eia:Approval>`
  );
}

function fault(code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body><soap:Fault>` +
    `<faultcode>${code}</faultcode><faultstring>${escapeXml(message)}</faultstring></soap:Fault></soap:Body></soap:Envelope>`
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: Buffer, contentType: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
