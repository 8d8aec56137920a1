import { expect } from 'chai';
import { CERTIFICATE_TYPES } from './certificate-types.js';
import { CertificateTypeSchema } from './registry-schemas.js';
import { DECISIONS } from './decisions.js';
import { DEPARTMENTS } from './departments.js';
import { DepartmentSchema } from './registry-schemas.js';
import { REGIONS, regionByMspId, regionOfDivision } from './regions.js';
import { RegionSchema } from './registry-schemas.js';
import { DEPT_ATTRIBUTE, ROLE_ATTRIBUTE, ROLE_NAMES } from './roles.js';
import { PHASES, STAGES } from './stages.js';

describe('registries', () => {
  it('maps each region to its Fabric organisation and division prefix', () => {
    expect(REGIONS.BJ).to.deep.equal({
      zh: '北京市',
      en: 'Beijing',
      mspId: 'BeijingMSP',
      divisionPrefix: '11',
    });
    expect(regionByMspId('TianjinMSP')).to.equal('TJ');
    expect(regionByMspId('HebeiMSP')).to.equal('HE');
    expect(regionByMspId('OrdererMSP')).to.be.undefined;
  });

  it('places division codes in their region', () => {
    expect(regionOfDivision('110105')).to.equal('BJ');
    expect(regionOfDivision('120116')).to.equal('TJ');
    expect(regionOfDivision('130600')).to.equal('HE');
    expect(regionOfDivision('310000')).to.be.undefined;
  });

  it('labels every entry in Chinese and English', () => {
    for (const registry of [REGIONS, DEPARTMENTS, PHASES, STAGES, DECISIONS, CERTIFICATE_TYPES]) {
      Object.values(registry).forEach((entry: { zh: string; en: string }) => {
        expect(entry.zh).to.match(/[\u4e00-\u9fff]/);
        expect(entry.en).to.match(/^[A-Z]/);
      });
    }
  });

  it('names the departments of the interface contract', () => {
    expect(Object.keys(DEPARTMENTS)).to.deep.equal(['DRC', 'PNR', 'HC', 'EE', 'FIRE', 'SAMR', 'CREDIT']);
    expect(DEPARTMENTS.HC.zh).to.equal('住房和城乡建设委员会');
  });

  it('issues each certificate type at a known stage, in a phase that exists', () => {
    Object.values(CERTIFICATE_TYPES).forEach((t) => expect(STAGES).to.have.property(t.stage));
    Object.values(STAGES).forEach((s) => expect(PHASES).to.have.property(s.phase));
    Object.values(STAGES).forEach((s) => expect(DEPARTMENTS).to.have.property(s.dept));
    expect(CERTIFICATE_TYPES.PROJECT_FILING.stage).to.equal('PROJECT_APPROVAL');
  });

  it('validates codes with zod enums', () => {
    expect(RegionSchema.safeParse('BJ').success).to.be.true;
    expect(RegionSchema.safeParse('SH').success).to.be.false;
    expect(DepartmentSchema.safeParse('FIRE').success).to.be.true;
    expect(CertificateTypeSchema.safeParse('DRIVING_LICENCE').success).to.be.false;
  });

  it('names roles and the certificate attributes carrying them', () => {
    expect(ROLE_NAMES).to.deep.equal(['approver', 'authority', 'admin', 'auditor']);
    expect([ROLE_ATTRIBUTE, DEPT_ATTRIBUTE]).to.deep.equal(['ledger.role', 'ledger.dept']);
  });
});
