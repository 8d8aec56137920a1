import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  ConnectionProfileError,
  loadConnectionProfile,
  parseConnectionProfile,
  readPem,
} from './connection-profile';

const PROFILES = join(__dirname, '..', '..', '..', '..', 'network', 'profiles');

function profile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'approval-ledger-tianjin',
    client: { organization: 'TianjinMSP' },
    organizations: {
      TianjinMSP: { mspid: 'TianjinMSP', peers: ['peer0.tj'], certificateAuthorities: ['ca.tj'] },
    },
    peers: {
      'peer0.tj': {
        url: 'grpcs://localhost:8051',
        tlsCACerts: { pem: '-----BEGIN CERTIFICATE-----\nTLS\n-----END CERTIFICATE-----\n' },
        grpcOptions: { 'ssl-target-name-override': 'peer0.tianjin.ledger.gov.cn' },
      },
    },
    certificateAuthorities: {
      'ca.tj': { url: 'https://localhost:8054', caName: 'ca-tianjin', tlsCACerts: { path: 'ca.pem' } },
    },
    ...overrides,
  };
}

describe('connection profiles', () => {
  it('resolves the gateway peer, TLS, CA and defaults from a profile', () => {
    const c = parseConnectionProfile(profile(), '/etc/ledger/connection-tianjin.json');
    expect(c).to.include({
      region: 'TJ',
      mspId: 'TianjinMSP',
      channel: 'approval',
      chaincode: 'approval-ledger',
      // a profile without `namespaces` was written before the plan
      namespaceMode: 'legacy',
    });
    expect(c.gateway).to.deep.include({
      peer: 'peer0.tj',
      endpoint: 'localhost:8051',
      tls: true,
      hostnameOverride: 'peer0.tianjin.ledger.gov.cn',
    });
    expect(c.ca).to.deep.include({
      url: 'https://localhost:8054',
      caName: 'ca-tianjin',
      verify: true,
      tlsRootCert: { file: '/etc/ledger/ca.pem' },
    });
  });

  it('uses plain gRPC for grpc:// peers and the x-approval-ledger extension when present', () => {
    const c = parseConnectionProfile(
      profile({
        'x-approval-ledger': { region: 'TJ', channel: 'test', chaincode: 'cc', gatewayPeer: 'peer0.tj' },
        peers: { 'peer0.tj': { url: 'grpc://10.0.0.5:7051' } },
      }),
      '/p.json',
    );
    expect(c).to.include({ channel: 'test', chaincode: 'cc' });
    expect(c.gateway).to.deep.equal({ peer: 'peer0.tj', endpoint: '10.0.0.5:7051', tls: false });
  });

  it('says what is wrong with a profile it cannot use', () => {
    expect(() =>
      parseConnectionProfile(profile({ client: { organization: 'ShanghaiMSP' } }), '/p.json'),
    ).to.throw(ConnectionProfileError, 'ShanghaiMSP');
    expect(() => parseConnectionProfile(profile({ peers: {} }), '/p.json')).to.throw(
      ConnectionProfileError,
      'gateway peer',
    );
    expect(() => parseConnectionProfile({ name: 1 }, '/p.json')).to.throw(ConnectionProfileError, '/p.json');
    expect(() => readPem({ file: '/nonexistent/ca.pem' }, '/p.json')).to.throw(
      ConnectionProfileError,
      'brought up',
    );
  });

  it('reads a profile file with certificate paths relative to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
      writeFileSync(join(dir, 'p.json'), JSON.stringify(profile()));
      const c = loadConnectionProfile(join(dir, 'p.json'));
      expect(readPem(c.ca?.tlsRootCert ?? { pem: '' }, c.profilePath)).to.equal('CA PEM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const files = existsSync(PROFILES)
    ? readdirSync(PROFILES).filter((f) => /^connection-.+\.json$/.test(f))
    : [];
  for (const file of files) {
    it(`parses the network's ${file}: its organisation, gateway peer over TLS, channel and chaincode`, () => {
      const c = loadConnectionProfile(join(PROFILES, file));
      expect(c.mspId).to.match(/^(Beijing|Tianjin|Hebei)MSP$/);
      expect(c.gateway.tls).to.equal(true);
      expect(c.gateway.endpoint).to.match(/^[\w.-]+:\d+$/);
      expect(c.channel).to.equal('approval');
      expect(c.chaincode).to.equal('approval-ledger');
      expect(c.namespaceMode).to.equal('plan');
      expect(c.ca?.url).to.match(/^https:\/\//);
    });
  }
  if (files.length === 0) {
    it('has no network profiles to parse here (network/profiles is absent)', () => {
      expect(files).to.deep.equal([]);
    });
  }
});
