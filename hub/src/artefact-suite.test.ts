import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ArtefactSuiteMismatchError, artefactSuiteOf, fixArtefactSuite } from './artefact-suite';
import { generateEd25519Key, sm2KeyOf } from './tlog/ed25519-key';
import { logIdentityOf } from './tlog/tlog-identity';
import { Witness } from './witness/witness';
import { witnessSuiteOf } from './witness/run-witness';

describe('the suite of the hub’s artefacts, fixed per data dir', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'artefact-suite-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is fixed at the first start and kept by later starts that name it', () => {
    expect(artefactSuiteOf(dir)).to.equal(undefined);
    expect(fixArtefactSuite(dir, 'gm')).to.equal('gm');
    expect(readFileSync(join(dir, 'artefact-suite'), 'utf8')).to.equal('gm\n');
    expect(fixArtefactSuite(dir, 'gm')).to.equal('gm');
  });

  it('refuses a restart with the other suite, naming LEDGER_CRYPTO and the suite to use', () => {
    fixArtefactSuite(dir, 'intl');
    expect(() => fixArtefactSuite(dir, 'gm'))
      .to.throw(ArtefactSuiteMismatchError)
      .with.property('message')
      .that.matches(
        /^LEDGER_CRYPTO=gm, but .* were made with LEDGER_CRYPTO=intl at its first start; start it with LEDGER_CRYPTO=intl/,
      );
    expect(readFileSync(join(dir, 'artefact-suite'), 'utf8')).to.equal('intl\n');
  });

  it('takes a data dir whose log predates the marker as intl: gm on it is refused, intl goes on', () => {
    mkdirSync(join(dir, 'tlog'));
    expect(() => fixArtefactSuite(dir, 'gm'))
      .to.throw(ArtefactSuiteMismatchError)
      .with.property('message')
      .that.matches(/^LEDGER_CRYPTO=gm, but .* were made with LEDGER_CRYPTO=intl/);
    expect(artefactSuiteOf(dir)).to.equal('intl');
    expect(fixArtefactSuite(dir, 'intl')).to.equal('intl');
  });

  it('refuses a marker that names no suite', () => {
    writeFileSync(join(dir, 'artefact-suite'), 'sm9\n');
    expect(() => fixArtefactSuite(dir, 'gm')).to.throw(TypeError, /holds "sm9", not intl or gm/);
  });

  it('makes a witness of one suite: a gm witness refuses an intl log key, and mixed log keys name no suite', () => {
    const gmLog = logIdentityOf(sm2KeyOf(), 'BJ').verifier;
    const intlLog = logIdentityOf(generateEd25519Key(), 'BJ').verifier;
    const signer = logIdentityOf(sm2KeyOf(), 'TJ').signer;
    expect(() => new Witness(join(dir, 'w'), signer, [intlLog], 'gm')).to.throw(
      TypeError,
      /a gm witness trusts gm log keys only; .* is a intl ed25519 key/,
    );
    expect(witnessSuiteOf([gmLog])).to.equal('gm');
    expect(witnessSuiteOf([intlLog])).to.equal('intl');
    expect(() => witnessSuiteOf([gmLog, intlLog])).to.throw(TypeError, /mix crypto suites/);
  });
});
