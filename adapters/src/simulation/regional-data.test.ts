/**
 * The simulators' data of each region is valid by protocol's rules and placed in its region: project codes and
 * credit codes carry the region's division (11xxxx, 12xxxx, 13xxxx), EIA document numbers its abbreviation, and
 * what the DRC export and the EIA service produce maps to envelopes of that region; each region's systems have
 * their own config files, source systems, ports and state.
 */
import {
  EnvelopeSchema,
  REGIONS,
  REGION_CODES,
  checkUscc,
  parseProjectCode,
  regionOfDivision,
  validate,
  type RegionCode,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import { loadAdapterConfig } from '../adapter-registry';
import { decodeLegacyText } from '../core/legacy-text';
import { parseCsv } from '../drc-csv/csv-parser';
import { makeExport } from '../drc-csv/simulator';
import { COLUMNS, drcRowToEnvelopes, type DrcColumn, type DrcRow } from '../drc-csv/to-envelope';
import { startEiaSoapSimulator } from '../eia-soap/simulator';
import { eiaApprovalToEnvelopes } from '../eia-soap/to-envelope';
import { SIMULATED_SYSTEMS, instanceName, regionalConfigPath } from '../simulated-systems';
import {
  DIVISIONS,
  EIA_DOCUMENT_PREFIX,
  Random,
  makeCompanyName,
  makeProjectCode,
  makeUscc,
} from './legacy-fixtures';

const emittedAt = '2026-12-05T10:00:00+08:00';

function drcRows(bytes: Buffer): DrcRow[] {
  const [header, ...records] = parseCsv(bytes);
  const text = (field: Buffer): string => {
    const decoded = decodeLegacyText(field, 'gb18030');
    if (!decoded.ok) throw new Error(decoded.message);
    return decoded.text;
  };
  const names = header!.fields.map(text) as DrcColumn[];
  return records.map(
    (r) => Object.fromEntries(r.fields.map((f, i) => [COLUMNS[names[i]!], text(f)])) as DrcRow,
  );
}

describe('simulated legacy data of Beijing, Tianjin and Hebei', () => {
  for (const region of REGION_CODES) {
    const prefix = REGIONS[region].divisionPrefix;

    it(`places ${region}'s project codes, credit codes and companies in ${REGIONS[region].zh} (${prefix}xxxx)`, () => {
      const random = new Random(7);
      for (let i = 0; i < 200; i++) {
        const code = makeProjectCode(random, region, '03', i);
        expect(parseProjectCode(code).region, code).to.equal(region);
        const uscc = makeUscc(random, region);
        expect(checkUscc(uscc), uscc).to.deep.equal({ ok: true });
        expect(regionOfDivision(uscc.slice(2, 8)), uscc).to.equal(region);
      }
      expect(DIVISIONS[region].every((d) => d.startsWith(prefix))).to.equal(true);
      expect(makeCompanyName(random, region)).to.match(new RegExp(`^${REGIONS[region].zh.slice(0, 2)}`));
    });

    it(`maps ${region}'s DRC export rows to valid ${region} milestones`, () => {
      const rows = drcRows(makeExport(new Random(11), region, 'gb18030', 40));
      const ctx = {
        region,
        sourceSystem: `${region.toLowerCase()}-drc-filing`,
        dataClass: 'public' as const,
        emittedAt,
      };
      const mapped = rows.map((row) => drcRowToEnvelopes(row, ctx));
      // the export job puts a bad date in about one row of twenty, as the real one does
      const good = mapped.flatMap((m) => (m.ok ? m.envelopes : []));
      expect(good.length).to.be.greaterThan(30);
      for (const envelope of good) {
        expect(validate(EnvelopeSchema, envelope)).to.deep.include({ ok: true });
        expect(envelope.record).to.include({ region });
      }
    });

    it(`issues ${region}'s EIA approvals as ${EIA_DOCUMENT_PREFIX[region]}〔2025〕N号 certificates of ${region}`, async () => {
      const sim = await startEiaSoapSimulator({ region, seed: 3, port: 0 });
      try {
        const ctx = {
          region,
          sourceSystem: `${region.toLowerCase()}-ee-eia`,
          dataClass: 'public' as const,
          emittedAt,
        };
        let certificates = 0;
        for (let i = 0; i < 60; i++) {
          const approval = sim.invent();
          const mapped = eiaApprovalToEnvelopes(approval, ctx);
          expect(mapped.ok, JSON.stringify(mapped)).to.equal(true);
          if (!mapped.ok) continue;
          for (const envelope of mapped.envelopes) {
            expect(validate(EnvelopeSchema, envelope)).to.deep.include({ ok: true });
            expect(envelope.record).to.include({ region });
            if (envelope.kind === 'certificate') {
              certificates++;
              expect((envelope.record as { number: string }).number).to.match(
                new RegExp(`^${EIA_DOCUMENT_PREFIX[region]}〔2025〕\\d+号$`),
              );
            }
          }
        }
        expect(certificates).to.be.greaterThan(20);
      } finally {
        await sim.stop();
      }
    });
  }

  it('runs each region its own systems: own config, region, source system, ports and instance name', () => {
    const configs = SIMULATED_SYSTEMS.map((s) => ({
      s,
      config: loadAdapterConfig(s.adapter, regionalConfigPath(s.adapter, s.region)),
    }));
    expect(SIMULATED_SYSTEMS.map((s) => s.instance)).to.include.members([
      'hc-mysql',
      'drc-csv',
      'drc-csv-tj',
      'eia-soap-tj',
      'credit-webhook-tj',
      'drc-csv-he',
      'eia-soap-he',
      'credit-webhook-he',
    ]);
    for (const { s, config } of configs) {
      expect(config.region, s.instance).to.equal(s.region);
      expect(config.sourceSystem, s.instance).to.match(new RegExp(`^${s.region.toLowerCase()}-`));
      expect(instanceName(s.adapter, s.region)).to.equal(s.instance);
    }
    const distinct = (values: unknown[]) => new Set(values).size === values.length;
    expect(distinct(configs.map((c) => c.config.sourceSystem))).to.equal(true);
    expect(distinct(configs.map((c) => c.config.health.port))).to.equal(true);
    const regionsOf = (adapter: string): RegionCode[] =>
      SIMULATED_SYSTEMS.filter((s) => s.adapter === adapter).map((s) => s.region);
    expect(regionsOf('eia-soap')).to.deep.equal(['BJ', 'TJ', 'HE']);
    expect(regionsOf('drc-csv')).to.deep.equal(['BJ', 'TJ', 'HE']);
  });
});
