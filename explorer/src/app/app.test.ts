import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from './app';
import { AuthService } from './core/auth.service';
import { TranslationService } from './core/translation.service';

const token = (claims: object) =>
  `x.${btoa(JSON.stringify(claims)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.sig`;

function render(): HTMLElement {
  const fixture = TestBed.createComponent(App);
  fixture.detectChanges();
  return fixture.nativeElement as HTMLElement;
}

function navTexts(element: HTMLElement): string[] {
  return [...element.querySelectorAll('nav a')].map((a) => a.textContent?.trim() ?? '');
}

describe('App shell', () => {
  beforeEach(async () => {
    localStorage.clear();
    sessionStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    await TestBed.inject(TranslationService).loadRegistryLabels();
  });

  it('has a skip link to the main landmark, a banner, navigation and a footer with the time zone', () => {
    TestBed.inject(AuthService).signIn(token({ region: 'BJ', role: 'auditor' }));
    const element = render();
    expect(element.querySelector('a.skip-link')?.getAttribute('href')).toBe('#main');
    expect(element.querySelector('main#main')?.getAttribute('tabindex')).toBe('-1');
    expect(element.querySelector('header')).not.toBeNull();
    expect(element.querySelector('nav')?.getAttribute('aria-label')).toBe('主导航');
    expect(element.querySelector('footer')?.textContent).toContain('Asia/Shanghai');
  });

  it('shows an auditor every page and an authority only its own', () => {
    const auth = TestBed.inject(AuthService);
    auth.signIn(token({ region: 'BJ', role: 'auditor' }));
    expect(navTexts(render())).toEqual([
      '总览',
      '项目溯源',
      '核验',
      '互认看板',
      '区块链',
      '证照',
      '审计日志',
      '信任',
    ]);
    auth.signIn(token({ region: 'TJ', role: 'authority' }));
    expect(navTexts(render())).toEqual(['总览', '项目溯源', '核验', '互认看板', '证照', '信任']);
  });

  it('offers only the public verify page before sign-in', () => {
    expect(navTexts(render())).toEqual(['核验']);
  });

  it('switches the whole shell to English and back, announcing the other language', () => {
    TestBed.inject(AuthService).signIn(token({ region: 'HE', role: 'auditor', dept: 'HC' }));
    const fixture = TestBed.createComponent(App);
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.textContent).toContain('已登录：河北省 · 住房和城乡建设委员会 · 审计人员');
    const button = element.querySelector<HTMLButtonElement>('[data-testid="language-switch"]');
    const visible = () => button?.querySelector('[lang]');
    expect(visible()?.getAttribute('lang')).toBe('en');
    expect(visible()?.textContent).toBe('English');
    expect(button?.textContent?.trim()).toBe('English 切换到英文');
    button?.click();
    fixture.detectChanges();
    expect(navTexts(element)[0]).toBe('Dashboard');
    expect(element.textContent).toContain('Signed in: Hebei · Housing and Urban-Rural Development · Auditor');
    // the visible name (in Chinese, marked as such) starts the accessible name: WCAG 2.5.3 label in name
    expect(visible()?.getAttribute('lang')).toBe('zh-CN');
    expect(button?.textContent?.trim()).toBe('中文 Switch to Chinese');
    expect(document.documentElement.lang).toBe('en');
  });
});
