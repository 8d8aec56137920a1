import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { isValidProjectCode } from '@approval-ledger/protocol';
import { ApiClient } from '../core/api-client';
import { ResourceStatus } from '../core/resource-status';
import { TranslationService } from '../core/translation.service';

/** Find a project by its code (straight to its provenance), its enterprise's name or credit code. */
@Component({
  selector: 'al-project-search-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, MatButton, MatFormField, MatLabel, MatHint, MatInput, ResourceStatus],
  template: `
    <h1>{{ i18n.t('projects.heading') }}</h1>
    <form class="search card" role="search" (ngSubmit)="searchProjects()">
      <mat-form-field appearance="outline">
        <mat-label>{{ i18n.t('projects.searchLabel') }}</mat-label>
        <input
          matInput
          name="q"
          autocomplete="off"
          data-testid="project-query"
          [ngModel]="text()"
          (ngModelChange)="text.set($event)"
        />
        <mat-hint>{{ i18n.t('projects.searchHint') }}</mat-hint>
      </mat-form-field>
      <button matButton="filled" type="submit" data-testid="project-search">
        {{ i18n.t('projects.searchSubmit') }}
      </button>
    </form>

    <al-resource-status
      [loading]="results.isLoading()"
      [error]="results.error()"
      (retry)="results.reload()"
    />

    <div aria-live="polite">
      @if (results.hasValue()) {
        @let found = results.value().projects;
        <h2>
          {{
            found.length > 0 ? i18n.t('projects.results', { n: found.length }) : i18n.t('projects.noResults')
          }}
        </h2>
        <ul class="results">
          @for (p of found; track p.projectCode) {
            <li class="card">
              <a [routerLink]="['/projects', p.projectCode]" class="name mono">{{ p.projectCode }}</a>
              <div>
                {{ i18n.region(p.region) }} · {{ i18n.t('projects.milestoneCount', { n: p.milestones }) }} ·
                {{ i18n.t('projects.certificateCount', { n: p.certificates }) }}
              </div>
              @if (p.lastDecision; as last) {
                <div class="muted">
                  {{ i18n.stage(last.stage ?? undefined) }} ·
                  {{ i18n.decision(last.decision ?? undefined) }} ·
                  {{ i18n.time(last.at) }}
                </div>
              }
            </li>
          }
        </ul>
      }
    </div>
  `,
  styles: `
    .search {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: flex-start;
    }
    .search mat-form-field {
      flex: 1 1 20rem;
    }
    .search button {
      margin-top: 0.5rem;
    }
    .results {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    .name {
      font-weight: 600;
      font-size: 1.05rem;
    }
  `,
})
export class ProjectSearchPage {
  /** The search as it stands in the URL (`?q=`). */
  readonly q = input<string>();
  protected readonly i18n = inject(TranslationService);
  readonly #router = inject(Router);
  protected readonly text = signal('');
  protected readonly query = signal<string | undefined>(undefined);
  protected readonly results = inject(ApiClient).projectSearchResource(() => this.query());

  constructor() {
    effect(() => {
      const q = this.q()?.trim();
      this.text.set(q ?? '');
      this.query.set(q || undefined);
    });
  }

  /** A project code opens the project; anything else searches names and credit codes. */
  protected searchProjects(): void {
    const q = this.text().trim();
    if (!q) return;
    if (isValidProjectCode(q)) {
      void this.#router.navigate(['/projects', q]);
      return;
    }
    void this.#router.navigate([], { queryParams: { q } });
  }
}
