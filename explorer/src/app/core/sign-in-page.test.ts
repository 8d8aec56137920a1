import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthService } from './auth.service';
import { SignInPage } from './sign-in-page';

describe('SignInPage', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  it('signs in with the pasted token and returns to the page asked for', async () => {
    const router = TestBed.inject(Router);
    const navigate = vi.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    const fixture = TestBed.createComponent(SignInPage);
    fixture.componentRef.setInput('returnUrl', '/chain');
    fixture.detectChanges();
    await fixture.whenStable();
    const textarea = (fixture.nativeElement as HTMLElement).querySelector(
      '[data-testid="token-input"]',
    ) as HTMLTextAreaElement;
    textarea.value = 'token-123';
    textarea.dispatchEvent(new Event('input'));
    ((fixture.nativeElement as HTMLElement).querySelector('form') as HTMLFormElement).dispatchEvent(
      new Event('submit'),
    );
    await fixture.whenStable();
    expect(TestBed.inject(AuthService).token()).toBe('token-123');
    expect(navigate).toHaveBeenCalledWith('/chain');
  });

  it('does not follow a return URL to another site', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const fixture = TestBed.createComponent(SignInPage);
    fixture.componentRef.setInput('returnUrl', '//evil.example/');
    fixture.detectChanges();
    await fixture.whenStable();
    const textarea = (fixture.nativeElement as HTMLElement).querySelector('textarea') as HTMLTextAreaElement;
    textarea.value = 't';
    textarea.dispatchEvent(new Event('input'));
    ((fixture.nativeElement as HTMLElement).querySelector('form') as HTMLFormElement).dispatchEvent(
      new Event('submit'),
    );
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('asks for a token when none was pasted', () => {
    const fixture = TestBed.createComponent(SignInPage);
    fixture.detectChanges();
    ((fixture.nativeElement as HTMLElement).querySelector('form') as HTMLFormElement).dispatchEvent(
      new Event('submit'),
    );
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')?.textContent).toContain(
      '请粘贴令牌',
    );
    expect(TestBed.inject(AuthService).signedIn()).toBe(false);
  });
});
