import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { beforeEach, describe, expect, it } from 'vitest';
import { PINNED_TRUST_KEY } from '../core/pinned-trust.service';
import { TranslationService } from '../core/translation.service';
import { gmTrustAnchorsText, trustAnchorsText } from '../testing/trust-anchors';
import { TrustPage } from './trust-page';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const GENESIS = '5e'.repeat(32);

describe('TrustPage: the anchors pinned in this browser', () => {
  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    await TestBed.inject(TranslationService).loadRegistryLabels();
  });

  async function open(): Promise<{ element: HTMLElement; detect: () => void }> {
    const fixture = TestBed.createComponent(TrustPage);
    fixture.detectChanges();
    const http = TestBed.inject(HttpTestingController);
    await settle();
    http.match('trust-anchors.txt').forEach((r) => r.flush('', { status: 404, statusText: 'Not Found' }));
    await settle();
    fixture.detectChanges();
    return { element: fixture.nativeElement as HTMLElement, detect: () => fixture.detectChanges() };
  }

  async function paste(element: HTMLElement, detect: () => void, text: string): Promise<void> {
    const input = element.querySelector('[data-testid="trust-input"]') as HTMLTextAreaElement;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    (element.querySelector('form.pin-form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await settle();
    detect();
  }

  it('says plainly that nothing is pinned, and warns of it', async () => {
    const { element } = await open();
    expect(element.querySelector('[data-testid="trust-pinned"]')?.getAttribute('data-pinned')).toBe('none');
    expect(element.querySelector('[data-testid="trust-nothing-pinned"]')?.textContent).toContain(
      '未固定任何信任锚',
    );
    expect(element.querySelector('[data-testid="trust-warnings"]')?.textContent).toContain('未固定信任锚');
  });

  it('pins pasted anchors in this browser and shows them; refuses text that does not parse, naming the line', async () => {
    const { element, detect } = await open();
    await paste(element, detect, 'approval-ledger-trust/v1\ncrypto intl\ngenesis embedded nothex\n');
    expect(element.querySelector('[data-testid="trust-pin-error"]')?.textContent).toMatch(/line 3/);
    expect(localStorage.getItem(PINNED_TRUST_KEY)).toBeNull();
    await paste(element, detect, trustAnchorsText(GENESIS));
    expect(element.querySelector('[data-testid="trust-pinned"]')?.getAttribute('data-pinned')).toBe(
      'browser',
    );
    expect(element.querySelector('[data-testid="trust-pinned-keys"]')?.textContent).toContain(GENESIS);
    expect(element.querySelector('[data-testid="trust-warnings"]')).toBeNull();
    (element.querySelector('[data-testid="trust-unpin"]') as HTMLButtonElement).click();
    detect();
    expect(element.querySelector('[data-testid="trust-pinned"]')?.getAttribute('data-pinned')).toBe('none');
  });

  it('shows the pinned log’s crypto suite: 国密 (SM3 trees, SM2 keys) for anchors saying crypto gm', async () => {
    const { element, detect } = await open();
    await paste(element, detect, trustAnchorsText(GENESIS));
    const intl = element.querySelector('[data-testid="trust-pinned-suite"]');
    expect(intl?.getAttribute('data-suite')).toBe('intl');
    expect(intl?.textContent).toContain('SHA-256 默克尔树');
    (element.querySelector('[data-testid="trust-unpin"]') as HTMLButtonElement).click();
    detect();
    await paste(element, detect, gmTrustAnchorsText(GENESIS));
    const gm = element.querySelector('[data-testid="trust-pinned-suite"]');
    expect(gm?.getAttribute('data-suite')).toBe('gm');
    expect(gm?.textContent).toContain('国密算法（SM3 默克尔树，SM2 签名与联署）');
  });
});
