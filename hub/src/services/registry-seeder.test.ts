import { expect } from 'chai';
import { Wallet } from 'ethers';
import { EmbeddedLedger } from '../ledger/embedded/embedded-ledger';
import { TempDirs } from '../../test/support/temp-dirs';
import {
  checkRegistriesAtStart,
  defaultGrants,
  RegistryNotSeededError,
  describeReadiness,
  grantIssuer,
  listGrants,
  officialRegistration,
  registerSigner,
  registryReadiness,
  revokeSigner,
  seedRegion,
} from './registry-seeder';

describe('the issuer and signer registries, kept by a region admin', function () {
  this.timeout(60_000);
  const dirs = new TempDirs();
  let dataDir: string;
  let ledger: EmbeddedLedger;
  const auditor = { region: 'BJ', role: 'auditor' } as const;

  before(async () => {
    dataDir = dirs.make('registry-');
    ledger = await EmbeddedLedger.open({ dataDir, batch: { timeoutMs: 5 } });
  });
  after(async () => {
    await ledger?.close();
    dirs.removeAll();
  });

  it('says plainly that a fresh ledger has no grants and no signer, and names the command that fixes it', async () => {
    const readiness = await registryReadiness(ledger, 'BJ', auditor);
    expect(readiness).to.include({ region: 'BJ', grants: 0, activeSigners: 0 });
    const lines = describeReadiness(readiness);
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(
      /issuer registry of BJ is empty.*ISSUER_NOT_AUTHORISED.*npx ledger registry seed --region BJ/,
    );
    expect(lines[1]).to.match(/no active signer.*npx ledger registry signer add --region BJ/);
  });

  it('refuses the start of a hub whose region has an empty issuer registry, saying what to run', async () => {
    const error = await checkRegistriesAtStart(ledger, 'BJ', () => undefined).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RegistryNotSeededError);
    expect(error).to.include({ region: 'BJ' });
    expect((error as Error).message).to.include('npx ledger registry seed --region BJ');
  });

  it('seeds a region once: a second run writes nothing and reports every entry unchanged', async () => {
    const signer = () => officialRegistration(dataDir, 'BJ');
    const first = await seedRegion(ledger, 'BJ', signer);
    expect(first.filter((c) => c.outcome === 'written')).to.have.length(defaultGrants('BJ').length + 1);
    const height = await ledger.height();
    const second = await seedRegion(ledger, 'BJ', signer);
    expect(second.map((c) => c.outcome)).to.deep.equal(first.map(() => 'unchanged'));
    expect(await ledger.height(), 'no transaction was submitted').to.equal(height);
    expect(describeReadiness(await registryReadiness(ledger, 'BJ', auditor))).to.deep.equal([]);
    expect(
      describeReadiness(await registryReadiness(ledger, 'TJ', { region: 'TJ', role: 'auditor' })),
    ).to.have.length(2);
  });

  it('leaves a department that has any grant as its admin made it', async () => {
    const narrow = {
      ...defaultGrants('TJ').find((g) => g.dept === 'HC')!,
      stages: [],
      validFrom: '2024-01-01T00:00:00+08:00',
    };
    expect((await grantIssuer(ledger, narrow)).outcome).to.equal('written');
    expect((await grantIssuer(ledger, narrow)).outcome).to.equal('unchanged');
    const changes = await seedRegion(ledger, 'TJ', () => officialRegistration(dataDir, 'TJ'));
    expect(changes.find((c) => c.entry === 'grant TJ/HC')?.outcome).to.equal('unchanged');
    const hc = (await listGrants(ledger, 'TJ')).filter((g) => g.dept === 'HC');
    expect(hc.map((g) => g.stages)).to.deep.equal([[]]);
  });

  it('starts a hub on a partly kept registry, warning about each gap', async () => {
    const warnings: string[] = [];
    await checkRegistriesAtStart(ledger, 'BJ', (w) => warnings.push(w));
    expect(warnings).to.deep.equal([]);
    await grantIssuer(ledger, defaultGrants('HE')[0]!);
    await checkRegistriesAtStart(ledger, 'HE', (w) => warnings.push(w));
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.match(/issuer registry of HE has no grant for .*npx ledger registry/);
    expect(warnings[1]).to.match(/no active signer/);
  });

  it('registers and revokes a signer once each', async () => {
    const address = Wallet.createRandom().address;
    const registration = {
      region: 'HE' as const,
      address,
      name: '河北互认审批官员',
      validFrom: '2025-01-01T00:00:00+08:00',
    };
    expect((await registerSigner(ledger, registration)).outcome).to.equal('written');
    expect((await registerSigner(ledger, registration)).outcome).to.equal('unchanged');
    expect((await registryReadiness(ledger, 'HE', { region: 'HE', role: 'auditor' })).activeSigners).to.equal(
      1,
    );
    expect((await revokeSigner(ledger, 'HE', address)).outcome).to.equal('written');
    expect((await revokeSigner(ledger, 'HE', address)).outcome).to.equal('unchanged');
    expect((await registryReadiness(ledger, 'HE', { region: 'HE', role: 'auditor' })).activeSigners).to.equal(
      0,
    );
    const stranger = Wallet.createRandom().address;
    const error = await revokeSigner(ledger, 'HE', stranger).catch((e: unknown) => e);
    expect((error as Error).message).to.equal(`address: ${stranger} is not a registered signer of HE`);
  });
});
