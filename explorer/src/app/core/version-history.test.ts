import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { type RecordVersion } from '@approval-ledger/protocol/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { TranslationService } from './translation.service';
import { VersionHistory } from './version-history';

const V1 = 'a1'.repeat(32);
const V2 = 'b2'.repeat(32);
const VERSIONS: RecordVersion[] = [
  {
    version: 1,
    commitment: V1,
    sourceKey: 'bj-hc-sgxk:1.certificate:1',
    status: 'anchored',
    txId: 'c3'.repeat(32),
    receivedAt: '2026-04-01T01:30:00.000Z',
    current: false,
  },
  {
    version: 2,
    commitment: V2,
    corrects: V1,
    correctionReason: '更正合同金额',
    sourceKey: 'bj-hc-sgxk:1.certificate:2',
    status: 'anchored',
    txId: 'd4'.repeat(32),
    receivedAt: '2026-04-02T01:30:00.000Z',
    current: true,
  },
];

function render(versions: readonly RecordVersion[]): HTMLElement {
  const fixture = TestBed.createComponent(VersionHistory);
  fixture.componentRef.setInput('versions', versions);
  fixture.detectChanges();
  return fixture.nativeElement as HTMLElement;
}

describe('VersionHistory', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  it('lists every version in Chinese, the current one marked, with what it corrects and why, and no English', () => {
    const element = render(VERSIONS);
    const items = element.querySelectorAll('[data-testid="version"]');
    expect(items).toHaveLength(2);
    expect(items[1]?.textContent).toContain('第 2 版');
    expect(items[1]?.textContent).toContain('当前版本');
    expect(items[1]?.textContent).toContain(V1);
    const reason = items[1]?.querySelector('[data-testid="version-reason"]')?.textContent;
    expect(reason).toContain('更正原因');
    expect(reason).toContain('更正合同金额');
    expect(items[0]?.textContent).not.toContain('当前版本');
    const verifyLinks = [...element.querySelectorAll('[data-testid="verify-version"]')];
    expect(verifyLinks.map((a) => a.getAttribute('href'))).toEqual([
      `/verify?sha256=${V1}`,
      `/verify?sha256=${V2}`,
    ]);
    expect(verifyLinks[0]?.textContent).toContain('核验此版本');
    const words = (element.textContent ?? '').replace(/[0-9a-f]{64}/g, '');
    expect(words).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('speaks English in the English view', () => {
    TestBed.inject(TranslationService).use('en');
    const element = render(VERSIONS);
    expect(element.textContent).toContain('Version 2');
    expect(element.textContent).toContain('current');
    expect(element.textContent).toContain('Reason for the correction');
  });

  it('shows nothing for a record that was never corrected', () => {
    expect(render(VERSIONS.slice(0, 1)).querySelector('[data-testid="version-history"]')).toBeNull();
  });
});
