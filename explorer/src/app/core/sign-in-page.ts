import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Router } from '@angular/router';
import { AuthService } from './auth.service';
import { TranslationService } from './translation.service';

/** Sign in by pasting a bearer token made with `npx ledger token …`. */
@Component({
  selector: 'al-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButton, MatFormField, MatLabel, MatHint, MatError, MatInput],
  template: `
    <h1>{{ i18n.t('signIn.heading') }}</h1>
    @if (auth.expired()) {
      <p class="warning" role="alert">{{ i18n.t('signIn.expired') }}</p>
    }
    <p>{{ i18n.t('signIn.intro') }}</p>
    <form (ngSubmit)="signIn()" class="sign-in">
      <mat-form-field appearance="outline">
        <mat-label>{{ i18n.t('signIn.token') }}</mat-label>
        <textarea
          matInput
          name="token"
          rows="4"
          autocomplete="off"
          spellcheck="false"
          data-testid="token-input"
          [ngModel]="token()"
          (ngModelChange)="token.set($event)"
        ></textarea>
        <mat-hint>{{ i18n.t('signIn.tokenHint') }}</mat-hint>
        @if (showEmpty()) {
          <mat-error>{{ i18n.t('signIn.empty') }}</mat-error>
        }
      </mat-form-field>
      @if (showEmpty()) {
        <p class="warning" role="alert">{{ i18n.t('signIn.empty') }}</p>
      }
      <button matButton="filled" type="submit">{{ i18n.t('signIn.submit') }}</button>
    </form>
  `,
  styles: `
    .sign-in {
      display: grid;
      gap: 1rem;
      max-width: 40rem;
    }
    textarea {
      font-family: var(--al-mono);
      font-size: 0.8125rem;
    }
    .warning {
      color: var(--al-bad);
    }
  `,
})
export class SignInPage {
  /** Where to go after signing in (query parameter). */
  readonly returnUrl = input<string>();
  protected readonly i18n = inject(TranslationService);
  protected readonly auth = inject(AuthService);
  readonly #router = inject(Router);
  protected readonly token = signal('');
  protected readonly showEmpty = signal(false);

  protected signIn(): void {
    const token = this.token().trim();
    if (!token) {
      this.showEmpty.set(true);
      return;
    }
    this.auth.signIn(token);
    const target = this.returnUrl();
    void this.#router.navigateByUrl(target?.startsWith('/') && !target.startsWith('//') ? target : '/');
  }
}
