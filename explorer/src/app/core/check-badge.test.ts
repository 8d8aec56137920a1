import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckBadge } from './check-badge';
import { type Check } from './chain-verifier';
import { TranslationService } from './translation.service';

function render(check: Check | undefined, showDetail = false): HTMLElement {
  const fixture = TestBed.createComponent(CheckBadge);
  fixture.componentRef.setInput('check', check);
  fixture.componentRef.setInput('showDetail', showDetail);
  fixture.detectChanges();
  return fixture.nativeElement as HTMLElement;
}

describe('CheckBadge', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({});
  });

  it('shows a check mark, and says so in words, only for what the browser verified', () => {
    const element = render({ name: 'block.headerHash', status: 'verified' });
    expect(element.textContent).toContain('✓');
    expect(element.textContent).toContain('浏览器已验证');
  });

  it('shows no check mark for a failed or unchecked step, with the reason', () => {
    const bad = render(
      { name: 'block.headerHash', status: 'failed', detail: 'header hash re-computed as 00…' },
      true,
    );
    expect(bad.textContent).not.toContain('✓');
    expect(bad.textContent).toContain('验证失败');
    expect(bad.textContent).toContain('header hash re-computed as 00…');
    const open = render({ name: 'block.ordererSignature', status: 'unchecked', detail: 'no trust anchors' });
    expect(open.textContent).not.toContain('✓');
    expect(open.querySelector('.badge')?.getAttribute('title')).toBe('排序节点签名');
  });

  it('in Chinese keeps the core’s English detail in a closed technical-detail disclosure marked lang="en"', () => {
    const bad = render(
      {
        name: 'block.dataHash',
        status: 'failed',
        detail: 'data hash re-computed as 00…, the block says 11…',
      },
      true,
    );
    const details = bad.querySelector('details');
    expect(details?.open).toBe(false);
    expect(details?.querySelector('summary')?.textContent).toBe('技术细节（英文）');
    expect(details?.querySelector('[lang="en"]')?.textContent).toContain('data hash re-computed');
    TestBed.inject(TranslationService).use('en');
    const english = render({ name: 'block.dataHash', status: 'failed', detail: 'data hash mismatch' }, true);
    expect(english.querySelector('details')).toBeNull();
    expect(english.querySelector('.badge')?.getAttribute('title')).toBe('data hash mismatch');
  });

  it('keeps the symbol out of the accessibility tree', () => {
    const element = render({ name: 'block.headerHash', status: 'verified' });
    expect(element.querySelector('.symbol')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('speaks English after a switch', () => {
    TestBed.inject(TranslationService).use('en');
    expect(render(undefined).textContent).toContain('Checking…');
  });
});
