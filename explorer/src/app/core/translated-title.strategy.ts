import { Injectable, effect, inject, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { type RouterStateSnapshot, TitleStrategy } from '@angular/router';
import { type MessageKey, TranslationService } from './translation.service';

/** Page titles from the route's `title` (a message key), in the current language, kept current on a switch. */
@Injectable({ providedIn: 'root' })
export class TranslatedTitleStrategy extends TitleStrategy {
  readonly #title = inject(Title);
  readonly #i18n = inject(TranslationService);
  readonly #key = signal<MessageKey | undefined>(undefined);

  constructor() {
    super();
    effect(() => {
      const key = this.#key();
      const app = this.#i18n.t('app.title');
      this.#title.setTitle(key ? `${this.#i18n.t(key)} · ${app}` : app);
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.#key.set(this.buildTitle(snapshot) as MessageKey | undefined);
  }
}
