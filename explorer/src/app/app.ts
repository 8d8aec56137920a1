import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter } from 'rxjs';
import { AuthService } from './core/auth.service';
import { type MessageKey, TranslationService } from './core/translation.service';

interface NavLink {
  readonly path: string;
  readonly label: MessageKey;
  readonly exact: boolean;
  readonly visible: (auth: AuthService) => boolean;
}

const NAV_LINKS: readonly NavLink[] = [
  {
    path: '/',
    label: 'nav.dashboard',
    exact: true,
    visible: (a) => a.mayBe('auditor', 'authority', 'admin'),
  },
  { path: '/projects', label: 'nav.projects', exact: false, visible: (a) => a.mayBe('auditor', 'authority') },
  { path: '/verify', label: 'nav.verify', exact: false, visible: () => true },
  {
    path: '/recognition',
    label: 'nav.recognition',
    exact: false,
    visible: (a) => a.mayBe('auditor', 'authority'),
  },
  { path: '/chain', label: 'nav.chain', exact: false, visible: (a) => a.mayBe('auditor') },
  {
    path: '/certificates',
    label: 'nav.certificates',
    exact: false,
    visible: (a) => a.mayBe('auditor', 'authority'),
  },
  { path: '/audit', label: 'nav.audit', exact: false, visible: (a) => a.mayBe('auditor') },
  {
    path: '/trust',
    label: 'nav.trust',
    exact: false,
    visible: (a) => a.mayBe('auditor', 'authority', 'admin'),
  },
];

/** The shell: skip link, banner with navigation and language switch, the page, and the time-zone note. */
@Component({
  selector: 'al-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatButton],
  templateUrl: './app.html',
  styleUrl: './app.scss',
})
export class App {
  protected readonly i18n = inject(TranslationService);
  protected readonly auth = inject(AuthService);
  readonly #router = inject(Router);
  readonly #document = inject(DOCUMENT);
  protected readonly menuOpen = signal(false);
  /** Signed in: the pages the role may use; signed out: the public verify page. */
  protected readonly links = computed(() => {
    this.auth.claims();
    return this.auth.signedIn()
      ? NAV_LINKS.filter((link) => link.visible(this.auth))
      : NAV_LINKS.filter((link) => link.path === '/verify');
  });
  protected readonly who = computed(() => {
    const { region, role, dept } = this.auth.claims();
    if (!region && !role) return '';
    const parts = [
      region && this.i18n.region(region),
      dept && this.i18n.department(dept),
      role && this.i18n.role(role),
    ];
    return parts.filter(Boolean).join(' · ');
  });

  constructor() {
    const subscription = this.#router.events
      .pipe(filter((event) => event instanceof NavigationEnd))
      .subscribe(() => this.#afterNavigation());
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  protected toggleMenu(): void {
    this.menuOpen.update((open) => !open);
  }

  protected closeMenu(): void {
    this.menuOpen.set(false);
  }

  protected switchLanguage(): void {
    this.i18n.toggle();
  }

  protected signOut(): void {
    this.auth.signOut();
    void this.#router.navigate(['/sign-in']);
  }

  protected skipToContent(event: Event): void {
    event.preventDefault();
    this.#focusMain();
  }

  /** After a navigation, focus moves to the page so screen readers announce it (not on the first load). */
  #afterNavigation(): void {
    this.closeMenu();
    if (this.#navigated) this.#focusMain();
    this.#navigated = true;
  }

  #navigated = false;

  #focusMain(): void {
    this.#document.getElementById('main')?.focus({ preventScroll: true });
  }
}
