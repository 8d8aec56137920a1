import {
  ChangeDetectionStrategy,
  Component,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { approvalPlan } from '@approval-ledger/protocol';
import { ApiClient } from '../core/api-client';
import {
  type MilestoneProvenanceEntry,
  type ProjectProgress,
  type StageProgressView,
} from '@approval-ledger/protocol/api';
import { ResourceStatus } from '../core/resource-status';
import { type MessageKey, TranslationService } from '../core/translation.service';
import { MilestoneDetail } from './milestone-detail';
import { type CellStatus, milestoneEntries, swimlaneLayout } from './swimlane-layout';
import { ScrollRegion } from '../core/scroll-region';

/** Name of the performance measure of a project render (read by the e2e run). */
export const PROJECT_RENDER_MEASURE = 'al:project-render';

/** A project's provenance: swimlanes per department along its approval plan, and each milestone's detail. */
@Component({
  selector: 'al-project-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ResourceStatus, MilestoneDetail, ScrollRegion],
  templateUrl: './project-page.html',
  styleUrl: './project-page.scss',
})
export class ProjectPage {
  readonly projectCode = input.required<string>();
  protected readonly i18n = inject(TranslationService);
  protected readonly project = inject(ApiClient).projectResource(() => this.projectCode());

  /** The label of a record kind (审批事项, 证照, ...). */
  protected kindKey(kind: 'milestone' | 'certificate' | 'certificate-revocation' | 'credit'): MessageKey {
    return `projects.kind.${kind}`;
  }

  /** The label of why a record is not on the chain yet. */
  protected unanchoredStatusKey(status: 'pending' | 'conflict' | 'rejected'): MessageKey {
    return `projects.unanchoredStatus.${status}`;
  }
  protected readonly milestones = computed(() =>
    this.project.hasValue() ? milestoneEntries(this.project.value().milestones) : [],
  );
  protected readonly layout = computed(() => {
    const project = this.project.hasValue() ? this.project.value() : undefined;
    return project
      ? swimlaneLayout(approvalPlan(project.progress.projectType), this.milestones())
      : undefined;
  });
  /** The hub's projection per stage (expected dates and the history they rest on). */
  protected readonly stageProgress = computed(
    () =>
      new Map<string, StageProgressView>(
        this.project.hasValue() ? this.project.value().progress.stages.map((s) => [s.stage, s]) : [],
      ),
  );
  protected readonly selectedId = signal<string | undefined>(undefined);
  protected readonly selected = computed<MilestoneProvenanceEntry | undefined>(() => {
    const id = this.selectedId();
    return id ? this.milestones().find((m) => m.id === id) : undefined;
  });
  #trigger: HTMLElement | undefined;
  #renderStart: number | undefined;

  constructor() {
    effect(() => {
      if (this.layout()) this.#renderStart = performance.now();
    });
    afterRenderEffect(() => {
      if (this.layout() && this.#renderStart !== undefined) {
        performance.measure(PROJECT_RENDER_MEASURE, { start: this.#renderStart, end: performance.now() });
        this.#renderStart = undefined;
      }
    });
  }

  protected openMilestone(milestone: MilestoneProvenanceEntry, event: Event): void {
    this.#trigger = event.currentTarget as HTMLElement;
    this.selectedId.set(milestone.id);
  }

  protected closeMilestone(): void {
    this.selectedId.set(undefined);
    this.#trigger?.focus();
  }

  protected statusLabel(status: CellStatus): string {
    return this.i18n.t(`stage.status.${status}`);
  }

  /** What the expected completion rests on, in the current language (the hub's `basis` is English prose). */
  protected basisText(progress: ProjectProgress): string {
    const typeKey = ({ recorded: 'recorded', 'project code kind': 'code', assumed: 'assumed' } as const)[
      progress.projectTypeBasis
    ];
    const type = this.i18n.t(`projects.typeBasis.${typeKey}`, {
      type: this.i18n.projectType(progress.projectType),
    });
    const expected = progress.expectedCompletion;
    switch (expected.status) {
      case 'complete':
        return this.i18n.t('projects.basis.complete');
      case 'unknown':
        return this.i18n.t('projects.basis.unknown', {
          stages: this.stageList(expected.missingHistory),
          type,
        });
      case 'projected':
        return this.i18n.t('projects.basis.projected', {
          samples: expected.samples,
          at: this.i18n.date(expected.statisticsAt),
          type,
        });
    }
  }

  protected stageList(stages: readonly string[]): string {
    return stages.map((s) => this.i18n.stage(s)).join(this.i18n.language() === 'zh' ? '、' : ', ');
  }

  protected reload(): void {
    this.project.reload();
  }
}
