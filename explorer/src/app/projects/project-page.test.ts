import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ProjectProvenance } from '@approval-ledger/protocol/api';
import { TranslationService } from '../core/translation.service';
import { milestoneEntry } from '../testing/milestone-entries';
import { ProjectPage } from './project-page';

const CODE = '2025-110105-47-03-000318';

function provenance(extra: Partial<ProjectProvenance> = {}): ProjectProvenance {
  return {
    projectCode: CODE,
    projectName: '朝阳区望京科技园三期研发楼',
    region: 'BJ',
    projectType: 'INDUSTRIAL',
    progress: {
      projectType: 'INDUSTRIAL',
      projectTypeBasis: 'recorded',
      completed: 1,
      total: 8,
      percent: 13,
      stages: [
        {
          stage: 'EIA',
          dept: 'EE',
          status: 'ready',
          waitingFor: [],
          expected: { medianAt: '2025-04-01T00:00:00Z', p90At: '2025-05-01T00:00:00Z' },
          history: { samples: 12, medianDays: 30, p90Days: 60 },
        },
      ],
      expectedCompletion: {
        status: 'projected',
        medianAt: '2026-06-29T16:00:00Z',
        p90At: '2026-07-15T00:00:00Z',
        samples: 412,
        statisticsAt: '2026-03-06T08:00:00Z',
      },
      basis: 'open stages projected with the median and 90th percentile of 412 completed durations',
    },
    milestones: [
      milestoneEntry('PROJECT_APPROVAL', 'APPROVED', '2025-01-10T10:00:00+08:00', { id: 'M-DRC-1' }),
      milestoneEntry('EIA', 'CONDITIONALLY_ACCEPTED', '2025-02-03T10:00:00+08:00', {
        id: 'M-EE-1',
        documentDigests: ['5b'.repeat(32)],
        tampered: true,
        offChain: 'mismatch',
      }),
    ],
    certificates: [],
    recognitions: [],
    unanchored: [],
    ...extra,
  };
}

async function renderProject(body: ProjectProvenance) {
  const fixture = TestBed.createComponent(ProjectPage);
  fixture.componentRef.setInput('projectCode', CODE);
  fixture.detectChanges();
  TestBed.inject(HttpTestingController).expectOne(`/api/v1/projects/${CODE}`).flush(body);
  await fixture.whenStable();
  fixture.detectChanges();
  return { fixture, element: fixture.nativeElement as HTMLElement };
}

describe('ProjectPage', () => {
  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    await TestBed.inject(TranslationService).loadRegistryLabels();
  });

  it('shows one swimlane per department with each stage’s status', async () => {
    const { element } = await renderProject(provenance());
    const lanes = [...element.querySelectorAll('.lane-head')].map((h) => h.textContent?.trim());
    expect(lanes).toEqual([
      '发展和改革委员会',
      '规划和自然资源委员会',
      '生态环境局',
      '消防救援',
      '住房和城乡建设委员会',
    ]);
    expect(element.querySelector('[data-stage="PROJECT_APPROVAL"]')?.classList).toContain('done');
    expect(element.querySelector('[data-stage="EIA"]')?.classList).toContain('in-progress');
    expect(element.querySelector('[data-stage="CONSTRUCTION_PERMIT"]')?.textContent).toContain('受阻');
    expect(element.querySelector('[data-stage="EIA"]')?.textContent).toContain('预计 2025/04/01');
  });

  it('states the expected completion date and its basis', async () => {
    const { element } = await renderProject(provenance());
    const expected = element.querySelector('[data-testid="expected-completion"]')?.textContent ?? '';
    expect(expected).toContain('2026/06/30');
    expect(expected).toContain('90% 分位');
    expect(expected).toContain('2026/07/15');
    expect(expected).toContain('412 个已完成用时的中位数和 90% 分位推算');
    expect(expected).toContain('项目类型为工业');
    expect(expected).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('says in Chinese which stages lack history, never the hub’s English prose', async () => {
    const body = provenance();
    const { element } = await renderProject({
      ...body,
      progress: {
        ...body.progress,
        projectTypeBasis: 'assumed',
        projectType: 'COMMERCIAL',
        expectedCompletion: { status: 'unknown', missingHistory: ['LAND_USE_PLANNING', 'EIA'] },
        basis:
          'no completed LAND_USE_PLANNING, EIA stage on the ledger yet; project type assumed (COMMERCIAL)',
      },
    });
    const expected = element.querySelector('[data-testid="expected-completion"]')?.textContent ?? '';
    expect(expected).toContain('暂无法预计');
    expect(expected).toMatch(/尚无已完成的.+、.+阶段/);
    expect(expected).toContain('项目类型假定为');
    expect(expected).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('opens a milestone’s hash, transaction, block and endorsers, and focuses its heading', async () => {
    const { fixture, element } = await renderProject(provenance());
    const button = element.querySelector<HTMLButtonElement>('[data-stage="EIA"] button.milestone');
    button?.click();
    fixture.detectChanges();
    await fixture.whenStable();
    const detail = element.querySelector('[data-testid="milestone-detail"]');
    expect(detail?.textContent).toContain('M-EE-1');
    expect(detail?.querySelector('[data-testid="milestone-commitment"]')?.textContent).toMatch(
      /^[0-9a-f]{64}$/,
    );
    expect(detail?.querySelector('[data-testid="milestone-block"]')?.getAttribute('href')).toMatch(
      /^\/chain\/blocks\/\d+$/,
    );
    expect(detail?.textContent).toContain('北京市 (BeijingMSP)');
    expect(detail?.textContent).toContain('当前角色无权查看完整记录');
    expect(detail?.querySelector('[data-testid="milestone-off-chain"]')?.textContent).toContain('已篡改');
    expect(document.activeElement?.id).toBe('milestone-heading');
  });

  it('renders 200 milestones', async () => {
    const stages = ['PROJECT_APPROVAL', 'EIA', 'FIRE_DESIGN', 'LAND_USE_PLANNING', 'ENERGY_REVIEW'] as const;
    const milestones = Array.from({ length: 200 }, (_, i) =>
      milestoneEntry(
        stages[i % 5] ?? 'EIA',
        'RETURNED',
        new Date(Date.UTC(2025, 0, 1) + i * 3600_000).toISOString(),
      ),
    );
    const { element } = await renderProject(provenance({ milestones }));
    expect(element.querySelectorAll('button.milestone').length).toBe(200);
  });
});
