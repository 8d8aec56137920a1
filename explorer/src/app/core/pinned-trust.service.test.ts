import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { trustAnchorsText } from '../testing/trust-anchors';
import { PINNED_TRUST_KEY, PinnedTrustService } from './pinned-trust.service';

const GENESIS = '3f'.repeat(32);
const OTHER = 'ab'.repeat(32);

describe('PinnedTrustService', () => {
  let http: HttpTestingController;
  let pins: PinnedTrustService;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    pins = TestBed.inject(PinnedTrustService);
  });

  async function deploy(
    answer: (req: ReturnType<HttpTestingController['expectOne']>) => void,
  ): Promise<void> {
    const loading = pins.load();
    answer(http.expectOne('trust-anchors.txt'));
    await loading;
  }

  it('pins nothing when no anchors file is deployed, and the verifier options are empty', async () => {
    await deploy((r) => r.flush('', { status: 404, statusText: 'Not Found' }));
    expect(pins.pinned()).toBeUndefined();
    expect(await pins.options()).toEqual({});
  });

  it('pins nothing when the server answers the app itself for the file (an SPA fallback)', async () => {
    await deploy((r) => r.flush('<!doctype html><html></html>'));
    expect(pins.pinned()).toBeUndefined();
    expect(pins.deploymentError()).toBeUndefined();
  });

  it('pins the deployment’s anchors: the genesis and the log keys go to the verifier', async () => {
    await deploy((r) => r.flush(trustAnchorsText(GENESIS)));
    expect(pins.pinned()?.source).toBe('deployment');
    const options = await pins.options();
    expect(options.trustedGenesisHash).toBe(GENESIS);
    expect(options.tlog?.logKeys).toHaveLength(1);
  });

  it('says why a deployed file that is not trust anchors is not used', async () => {
    await deploy((r) => r.flush('approval-ledger-trust/v1\ncrypto intl\n'));
    expect(pins.pinned()).toBeUndefined();
    expect(pins.deploymentError()).toMatch(/trust anchors line/);
  });

  it('lets pasted anchors win over the deployment’s, keeps them across a reload, and forgets them', async () => {
    await deploy((r) => r.flush(trustAnchorsText(GENESIS)));
    pins.pin(trustAnchorsText(OTHER));
    expect(pins.pinned()?.source).toBe('browser');
    expect((await pins.options()).trustedGenesisHash).toBe(OTHER);
    expect(localStorage.getItem(PINNED_TRUST_KEY)).toContain(OTHER);
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    const reloaded = TestBed.inject(PinnedTrustService);
    expect(reloaded.pinned()?.anchors.genesis.blockHash).toBe(OTHER);
    reloaded.unpin();
    expect(reloaded.pinned()).toBeUndefined();
    expect(localStorage.getItem(PINNED_TRUST_KEY)).toBeNull();
  });

  it('refuses pasted text that is not trust anchors, naming the line and rule, and keeps what was pinned', () => {
    pins.pin(trustAnchorsText(GENESIS));
    expect(() => pins.pin('approval-ledger-trust/v1\ngenesis embedded xyz\n')).toThrow(/line 2/);
    expect(pins.pinned()?.anchors.genesis.blockHash).toBe(GENESIS);
  });
});
