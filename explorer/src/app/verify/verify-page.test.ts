import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { type ProofVerdict, sha256Hex, verifyProofBundle } from '@approval-ledger/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { type VerifyMatch, type VerifyResponse } from '@approval-ledger/protocol/api';
import { TranslationService } from '../core/translation.service';
import { trustAnchorsText } from '../testing/trust-anchors';
import { VerifyPage } from './verify-page';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('VerifyPage', () => {
  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    await TestBed.inject(TranslationService).loadRegistryLabels();
  });

  it('hashes a chosen file here and sends only its hash', async () => {
    const fixture = TestBed.createComponent(VerifyPage);
    fixture.detectChanges();
    const bytes = new TextEncoder().encode('施工许可证 PDF');
    const input = (fixture.nativeElement as HTMLElement).querySelector(
      '[data-testid="file-input"]',
    ) as HTMLInputElement;
    const file = new File([bytes], 'permit.pdf');
    // jsdom's File has no arrayBuffer(); browsers do (the e2e run hashes real files in Chromium)
    Object.defineProperty(file, 'arrayBuffer', { value: () => Promise.resolve(bytes.buffer) });
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    const http = TestBed.inject(HttpTestingController);
    let request = http.match('/api/v1/verify')[0];
    for (let i = 0; !request && i < 50; i++) {
      await settle();
      request = http.match('/api/v1/verify')[0];
    }
    expect(request?.request.body).toEqual({ sha256: sha256Hex(bytes), bundle: true });
    request?.flush({
      sha256: sha256Hex(bytes),
      anchored: false,
      status: 'not-anchored',
      checkedAt: '2025-03-06T08:30:00Z',
      matches: [],
    } satisfies VerifyResponse);
    await settle();
    fixture.detectChanges();
    const result = (fixture.nativeElement as HTMLElement).querySelector(
      '[data-testid="verify-result"]',
    ) as HTMLElement;
    expect(result.getAttribute('aria-live')).toBe('polite');
    expect(result.querySelector('[data-state]')?.getAttribute('data-state')).toBe('not-found');
    expect(
      (fixture.nativeElement as HTMLElement).querySelector('[data-testid="file-hash"]')?.textContent,
    ).toContain(sha256Hex(bytes));
  });

  it('verifies a pasted hash, fetches the proof bundle it was not given, and shows no check mark when it fails', async () => {
    const fixture = TestBed.createComponent(VerifyPage);
    fixture.detectChanges();
    await fixture.whenStable();
    const hash = 'ab'.repeat(32);
    const element = fixture.nativeElement as HTMLElement;
    submitHash(element, hash.toUpperCase());
    const http = TestBed.inject(HttpTestingController);
    http.expectOne('/api/v1/verify').flush({
      sha256: hash,
      anchored: true,
      status: 'revoked',
      checkedAt: '2025-03-06T08:30:00Z',
      matches: [
        {
          kind: 'certificate',
          id: 'C-1',
          matchedBy: 'document',
          status: 'revoked',
          tampered: false,
          offChain: 'match',
          region: 'TJ',
          dept: 'HC',
          projectCode: null,
          commitment: 'cd'.repeat(32),
          anchored: { txId: 'ef'.repeat(32), blockNumber: 4, at: '2025-03-06T08:30:00Z' },
          recognitions: [],
          proof: { format: 'approval-ledger/proof@1', href: '/api/v1/proofs/certificate/C-1' },
        },
      ],
    } satisfies VerifyResponse);
    await answerBeforeV1(http, '/api/v1/proofs/certificate/C-1');
    http.expectOne('/api/v1/proofs/certificate/C-1').flush({ format: 'approval-ledger/proof@1' });
    for (let i = 0; i < 5; i++) await settle();
    fixture.detectChanges();
    const state = element.querySelector('[data-state]') as HTMLElement;
    expect(state.getAttribute('data-state')).toBe('tampered');
    expect(state.getAttribute('data-verified')).toBe('false');
    expect(state.textContent).not.toContain('✓');
    expect(state.textContent).toContain('证明包核对失败');
  });

  it('does not ask for the v2 bundle of a record no checkpoint covers yet, and says why it checked v1', async () => {
    const fixture = TestBed.createComponent(VerifyPage);
    fixture.detectChanges();
    await fixture.whenStable();
    const hash = 'ab'.repeat(32);
    const element = fixture.nativeElement as HTMLElement;
    submitHash(element, hash);
    const http = TestBed.inject(HttpTestingController);
    const href = '/api/v1/proofs/milestone/M-1?sha256=' + hash;
    http.expectOne('/api/v1/verify').flush(
      validMilestoneAnswer(hash, {
        proof: { format: 'approval-ledger/proof@1', href, checkpointed: false },
      }),
    );
    (await request(http, 'trust-anchors.txt'))?.flush('', { status: 404, statusText: 'Not Found' });
    const v1 = await request(http, href);
    expect(v1, 'the v1 bundle is fetched').toBeDefined();
    expect(http.match((r) => r.urlWithParams === `${href}&version=2`)).toHaveLength(0);
    v1?.flush({ format: 'approval-ledger/proof@1' });
    for (let i = 0; i < 5; i++) await settle();
    fixture.detectChanges();
    expect(element.querySelector('[data-testid="v2-unavailable"]')?.textContent).toContain(
      'no checkpoint of the hub covers block 7 yet',
    );
  });
});

/** `POST /verify`'s answer for `hash` with one valid milestone match (BJ, EE), changed by `match`. */
function validMilestoneAnswer(hash: string, match: Partial<VerifyMatch>): VerifyResponse {
  return {
    sha256: hash,
    anchored: true,
    status: 'valid',
    checkedAt: '2025-03-06T08:30:00Z',
    matches: [
      {
        kind: 'milestone',
        id: 'M-1',
        matchedBy: 'document',
        status: 'valid',
        tampered: false,
        offChain: 'match',
        region: 'BJ',
        dept: 'EE',
        projectCode: null,
        commitment: 'cd'.repeat(32),
        anchored: { txId: 'ef'.repeat(32), blockNumber: 7, at: '2025-03-06T08:30:00Z' },
        recognitions: [],
        proof: { format: 'approval-ledger/proof@1', href: '/api/v1/proofs/milestone/M-1' },
        ...match,
      },
    ],
  };
}

/** Waits for a request the page makes, `undefined` when it makes none within a few turns. */
/** Types `text` into the hash form and submits it. */
function submitHash(element: HTMLElement, text: string): void {
  const input = element.querySelector('[data-testid="hash-input"]') as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new Event('input'));
  (element.querySelector('form.hash-form') as HTMLFormElement).dispatchEvent(new Event('submit'));
}

async function request(http: HttpTestingController, url: string): Promise<TestRequest | undefined> {
  for (let i = 0; i < 100; i++) {
    const found = http.match((r) => r.urlWithParams === url)[0];
    if (found) return found;
    await settle();
  }
  return undefined;
}

/**
 * The requests before the v1 bundle: the deployment's trust anchors file (none deployed: 404) and the v2
 * bundle (this hub runs no transparency log: 503), so the page falls back to the v1 bundle.
 */
async function answerBeforeV1(http: HttpTestingController, href: string, anchors?: string): Promise<void> {
  const file = await request(http, 'trust-anchors.txt');
  if (anchors === undefined) file?.flush('', { status: 404, statusText: 'Not Found' });
  else file?.flush(anchors);
  (await request(http, `${href}?version=2`))?.flush(
    { type: 'about:blank', title: 'not-ready', status: 503, detail: 'this hub runs no transparency log' },
    { status: 503, statusText: 'Service Unavailable' },
  );
  await settle();
}

/** A real v1 bundle of an embedded ledger (protocol's fixtures), found from the repository root. */
function readMilestoneBundle(name = 'milestone'): {
  query: { sha256: string };
  record: { id: string };
  transaction: { txId: string };
} {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'lerna.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const path = join(dir, 'protocol', 'src', 'proof', 'fixtures', `proof-bundle.${name}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as ReturnType<typeof readMilestoneBundle>;
}

/**
 * The page after a hash lookup whose one match (a milestone of `dept`) carries `bundle`, with the v1 proof
 * answered as the hub would (and `anchors` deployed, if given): the page then verifies the bundle in the browser.
 */
async function verifyHashOfBundle(
  bundle: ReturnType<typeof readMilestoneBundle>,
  dept: string,
  anchors?: string,
): Promise<{ fixture: ComponentFixture<VerifyPage>; element: HTMLElement }> {
  const fixture = TestBed.createComponent(VerifyPage);
  fixture.detectChanges();
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const hash = bundle.query.sha256;
  submitHash(element, hash);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne('/api/v1/verify').flush(
    validMilestoneAnswer(hash, {
      id: bundle.record.id,
      dept: dept as VerifyMatch['dept'],
      anchored: { txId: bundle.transaction.txId, blockNumber: 19, at: '2025-03-06T08:30:00Z' },
      proof: { format: 'approval-ledger/proof@1', href: '/api/v1/proofs/milestone/x' },
      bundle: bundle as unknown as VerifyMatch['bundle'],
    }),
  );
  await answerBeforeV1(http, '/api/v1/proofs/milestone/x', anchors);
  return { fixture, element };
}

describe('VerifyPage assurance levels', () => {
  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    await TestBed.inject(TranslationService).loadRegistryLabels();
  });

  it('shows what a v1 bundle proves, level by level, and says its status is not proven', async () => {
    const bundle = readMilestoneBundle();
    const { fixture, element } = await verifyHashOfBundle(bundle, 'PNR');
    let levels: NodeListOf<HTMLElement> | undefined;
    for (let i = 0; i < 100 && !levels?.length; i++) {
      await settle();
      fixture.detectChanges();
      levels = element.querySelectorAll<HTMLElement>('[data-testid="assurance-levels"] li');
    }
    const status = Object.fromEntries([...levels!].map((l) => [l.dataset['level'], l.dataset['status']]));
    expect(status).toMatchObject({ ledger: 'proven', checkpoint: 'not-proven', status: 'not-proven' });
    expect(element.querySelector('[data-testid="assurance-bundle"]')?.textContent).toContain('证明包 v1');
    expect(element.textContent).toContain('无法排除之后的撤销');
  });
  it('says the suites of a gm bundle: the ledger’s and the commitment’s (国密, SM3 / SM2), in Chinese and in English', async () => {
    const bundle = readMilestoneBundle('gm-milestone');
    const { fixture, element } = await verifyHashOfBundle(bundle, 'EE');
    let commitment: HTMLElement | null = null;
    for (let i = 0; i < 100 && !commitment; i++) {
      await settle();
      fixture.detectChanges();
      commitment = element.querySelector<HTMLElement>('[data-testid="proof-commitment-suite"]');
    }
    expect(element.querySelector('[data-testid="proof-suite"]')?.getAttribute('data-suite')).toBe('gm');
    expect(commitment?.getAttribute('data-suite')).toBe('gm');
    expect(commitment?.textContent).toContain('国密算法（SM3 摘要，SM2 签名）');
    TestBed.inject(TranslationService).use('en');
    fixture.detectChanges();
    expect(commitment?.textContent).toContain('国密 / Chinese national (SM3 digests, SM2 signatures)');
  });

  it('says which version a match is and what the bundle proved about it, in Chinese and in English', () => {
    const fixture = TestBed.createComponent(VerifyPage);
    const page = fixture.componentInstance as unknown as {
      versionLine(m: Pick<VerifyMatch, 'version'>): string;
      versionAssurance(v: Pick<ProofVerdict, 'version'>): string;
    };
    const old = {
      version: { number: 1, latest: false, supersededBy: { version: 2, txId: 'tx2', blockNumber: 30 } },
    };
    const proven = {
      version: {
        number: 1,
        latest: false,
        basis: 'checkpoint' as const,
        supersededBy: { version: 2, txId: 'tx2', block: 30 },
        asOfCheckpoint: 42,
      },
    };
    expect(page.versionLine(old)).toBe('第 1 版，已被第 2 版取代（交易 tx2，区块 30）');
    expect(page.versionLine({ version: { number: 2, latest: true } })).toBe('第 2 版，为最新版本');
    expect(page.versionLine({})).toBe('');
    expect(page.versionAssurance(proven)).toBe('已在检查点 42 中证明：第 1 版已被第 2 版取代。');
    expect(page.versionAssurance({ version: { number: 1, latest: false, basis: 'statement' } })).toBe(
      '枢纽声明第 1 版已被取代（未经检查点证明）。',
    );
    expect(page.versionAssurance({ version: { number: 1, basis: 'none' } })).toBe(
      '未证明第 1 版是否为最新版本。',
    );
    TestBed.inject(TranslationService).use('en');
    expect(page.versionAssurance(proven)).toBe(
      'Proven in checkpoint 42: version 1 was superseded by version 2.',
    );
    expect(
      page.versionAssurance({
        version: { number: 2, latest: true, basis: 'checkpoint', asOfCheckpoint: 42 },
      }),
    ).toBe('Proven in checkpoint 42: version 2 is the latest.');
  });
});

describe('VerifyPage against pinned trust anchors (explorer side, never the hub’s)', () => {
  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    await TestBed.inject(TranslationService).loadRegistryLabels();
  });

  /** Verifies the fixture bundle's hash with `anchors` deployed (undefined: none) and returns the state element. */
  async function verifyFixture(anchors?: string): Promise<{ state: HTMLElement; element: HTMLElement }> {
    const { fixture, element } = await verifyHashOfBundle(readMilestoneBundle(), 'PNR', anchors);
    let state: HTMLElement | null = null;
    for (let i = 0; i < 100 && !state; i++) {
      await settle();
      fixture.detectChanges();
      state = element.querySelector<HTMLElement>('[data-state]');
    }
    return { state: state!, element };
  }

  const genesisOfFixture = () => verifyProofBundle(readMilestoneBundle()).genesisHash!;

  it('says plainly that nothing is pinned, with no check mark, when no anchors are pinned', async () => {
    const { state, element } = await verifyFixture();
    expect(state.dataset).toMatchObject({ state: 'valid', verified: 'true', pinned: 'false' });
    expect(state.querySelector('.mark')?.textContent).toBe('?');
    expect(element.querySelector('[data-testid="nothing-pinned"]')?.textContent).toContain('未固定信任锚');
    expect(element.querySelector('[data-testid="v2-unavailable"]')?.textContent).toContain('证明包 v2');
  });

  it('shows the check mark for a bundle of the pinned ledger (the deployment’s anchors)', async () => {
    const { state, element } = await verifyFixture(trustAnchorsText(genesisOfFixture()));
    expect(state.dataset).toMatchObject({ state: 'valid', verified: 'true', pinned: 'true' });
    expect(state.querySelector('.mark')?.textContent).toBe('✓');
    expect(element.querySelector('[data-testid="nothing-pinned"]')).toBeNull();
    const pinnedLedger = element.querySelector('[data-level="pinned-ledger"]') as HTMLElement;
    expect(pinnedLedger.dataset['status']).toBe('proven');
  });

  it('refuses a bundle of another ledger than the pinned one, as foreign', async () => {
    const { state, element } = await verifyFixture(trustAnchorsText('ab'.repeat(32)));
    expect(state.dataset).toMatchObject({ state: 'foreign', verified: 'false', pinned: 'true' });
    expect(state.querySelector('.mark')?.textContent).toBe('✗');
    expect(state.textContent).toContain('不属于已固定的账本');
    expect(element.textContent).toContain('trust.genesis');
  });
});
