// Static consistency of the Fabric network definition: no Docker engine and no Fabric binaries run here, so the
// files are checked against each other, against the layout cryptogen generates and against the protocol package.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHAINCODE_DEFINITIONS,
  DEPARTMENT_CODES,
  DEPT_ATTRIBUTE,
  REGIONS,
  ROLE_ATTRIBUTE,
  ROLE_NAMES,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import {
  CHECKS,
  type Check,
  NETWORK_DIR,
  type NetworkFiles,
  type ProtocolRegistry,
  at,
  checkCaConfigs,
  checkCcaas,
  checkChaincodeDefinitions,
  checkDeployMajority,
  checkComposeNodes,
  checkConfigtxNodes,
  checkCryptoLayout,
  checkMspIds,
  checkNames,
  checkPolicies,
  checkPortsUnique,
  checkProfiles,
  checkProfilesMatchScript,
  checkProtocolRegistry,
  checkRunbookIdentities,
  checkScriptSteps,
  cryptogenLayout,
  list,
  loadNetworkFiles,
  rec,
  runCheck,
} from './network-model';

const protocol: ProtocolRegistry = {
  regions: REGIONS,
  departments: DEPARTMENT_CODES,
  roles: ROLE_NAMES,
  roleAttribute: ROLE_ATTRIBUTE,
  deptAttribute: DEPT_ATTRIBUTE,
  definitions: CHAINCODE_DEFINITIONS,
};

function bashSyntax(file: string): { status: number | null; stderr: string } {
  const result = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('network: static consistency of the Fabric 3.1 network definition', function () {
  let files: NetworkFiles;
  let factsChecked = 0;

  before(function () {
    files = loadNetworkFiles(protocol);
  });

  after(function () {
    console.log(`      network-static: ${factsChecked} facts checked across the network definition`);
  });

  it('network.sh is valid bash (bash -n)', function () {
    const result = bashSyntax(join(NETWORK_DIR, 'network.sh'));
    expect(result.stderr).to.equal('');
    expect(result.status).to.equal(0);
  });

  it('network.sh stops with a clear message when Docker or the Fabric binaries are missing', function () {
    // A PATH holding nothing but bash and dirname: no docker, no peer, no configtxgen, no fabric-ca-client.
    const bin = mkdtempSync(join(tmpdir(), 'network-bin-'));
    try {
      for (const tool of ['bash', 'dirname']) {
        const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
        symlinkSync(found, join(bin, tool));
      }
      const cases: Array<[string[], RegExp]> = [
        [['up'], /docker not found on PATH/],
        [['deploy'], /docker not found on PATH/],
        [['down'], /docker not found on PATH/],
        [['channel'], /'configtxgen' not found on PATH/],
        [['enroll', 'beijing', 'auditor', 'auditor'], /'fabric-ca-client' not found on PATH/],
      ];
      for (const [args, message] of cases) {
        const result = spawnSync(join(bin, 'bash'), [join(NETWORK_DIR, 'network.sh'), ...args], {
          encoding: 'utf8',
          env: { PATH: bin },
        });
        expect(result.status, args.join(' ')).to.equal(1);
        expect(result.stderr, args.join(' ')).to.match(message);
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it("network.sh channel decides by osnadmin's HTTP status, not its exit status (0 even for 404)", function () {
    // What osnadmin 2.4.9 printed (exit status 0 each time) against a running orderer of this network.
    const notServed = 'Status: 404\n{\n\t"error": "channel does not exist"\n}\n';
    const served = 'Status: 200\n{\n\t"name": "approval",\n\t"status": "active"\n}\n';
    const joined = 'Status: 201\n{\n\t"name": "approval",\n\t"status": "active"\n}\n';
    const refused = 'Status: 405\n{\n\t"error": "cannot join: channel already exists"\n}\n';
    const answered = (status: number, output: string): number | null =>
      spawnSync(
        'bash',
        [
          '-c',
          'source "$1" && osnadmin_answered "$2" "$3"',
          'test',
          join(NETWORK_DIR, 'network.sh'),
          String(status),
          output,
        ],
        { encoding: 'utf8' },
      ).status;
    expect(answered(200, served)).to.equal(0);
    expect(answered(200, notServed)).to.equal(1);
    expect(answered(201, joined)).to.equal(0);
    expect(answered(201, refused)).to.equal(1);
    // osnadmin_join with an osnadmin that exits 0 but answers 405 must fail.
    const bin = mkdtempSync(join(tmpdir(), 'network-osnadmin-'));
    try {
      writeFileSync(join(bin, 'osnadmin'), `#!/usr/bin/env bash\nprintf '%s' '${refused}'\nexit 0\n`, {
        mode: 0o755,
      });
      const join405 = spawnSync(
        'bash',
        [
          '-c',
          'source "$1" && load_region beijing && osnadmin_join /dev/null',
          'test',
          join(NETWORK_DIR, 'network.sh'),
        ],
        { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } },
      );
      expect(join405.status).to.equal(1);
      expect(join405.stderr).to.match(/did not answer 201 Created: Status: 405/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('network.sh deploy commits with two of three approvals and refuses one (MAJORITY Endorsement)', function () {
    const suffice = (approvals: Record<string, boolean>): number | null =>
      spawnSync(
        'bash',
        [
          '-c',
          'source "$1" && approvals_suffice "$2"',
          'test',
          join(NETWORK_DIR, 'network.sh'),
          JSON.stringify({ approvals }),
        ],
        { encoding: 'utf8' },
      ).status;
    expect(suffice({ BeijingMSP: true, TianjinMSP: false, HebeiMSP: true })).to.equal(0);
    expect(suffice({ BeijingMSP: true, TianjinMSP: true, HebeiMSP: true })).to.equal(0);
    expect(suffice({ BeijingMSP: false, TianjinMSP: true, HebeiMSP: false })).to.equal(1);
    expect(suffice({})).to.equal(1);
  });

  it('network.sh deploy builds one ccaas package per definition: its own label and chaincode server address', function () {
    const dir = mkdtempSync(join(tmpdir(), 'network-packages-'));
    try {
      const built = [...files.topology.definitions, files.topology.legacyDefinition].map((definition) => {
        const out = join(dir, `${definition.name}.tar.gz`);
        const result = spawnSync(
          'bash',
          [
            '-c',
            'source "$1" && package_ccaas "$2" "$3" && cd "$4" && tar -xzf "$3" && tar -xzf code.tar.gz && cat metadata.json connection.json',
            'test',
            join(NETWORK_DIR, 'network.sh'),
            definition.name,
            out,
            mkdtempSync(join(dir, 'x-')),
          ],
          { encoding: 'utf8' },
        );
        expect(result.status, result.stderr).to.equal(0);
        const [metadata, connection] = result.stdout.split(/(?<=\})\s*(?=\{)/).map((t) => JSON.parse(t));
        expect(metadata).to.deep.equal({ type: 'ccaas', label: definition.packageLabel });
        expect(connection.address).to.equal(definition.ccaasAddress);
        return { name: definition.name, label: metadata.label, address: connection.address };
      });
      expect(built.map((b) => b.label)).to.deep.equal([
        'approval-beijing_1.0',
        'approval-tianjin_1.0',
        'approval-hebei_1.0',
        'approval-bj-tj_1.0',
        'approval-bj-he_1.0',
        'approval-tj-he_1.0',
        'approval-ledger_1.0',
      ]);
      expect(new Set(built.map((b) => b.address)).size).to.equal(built.length);
      expect(built.find((b) => b.name === 'approval-bj-tj')?.address).to.equal(
        '{{.peername}}_approval-bj-tj_ccaas:9999',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the protocol registry names BJ, TJ and HE with their MSP IDs', function () {
    expect(Object.fromEntries(Object.entries(REGIONS).map(([code, r]) => [code, r.mspId]))).to.deep.equal({
      BJ: 'BeijingMSP',
      TJ: 'TianjinMSP',
      HE: 'HebeiMSP',
    });
  });

  it('cryptogen would generate the peers, orderers and MSPs the network uses', function () {
    const layout = cryptogenLayout(files.cryptogen);
    expect(
      layout.has(
        'organizations/peerOrganizations/beijing.ledger.gov.cn/peers/peer0.beijing.ledger.gov.cn/tls/server.crt',
      ),
    ).to.be.true;
    expect(
      layout.has(
        'organizations/ordererOrganizations/orderer.ledger.gov.cn/orderers/orderer0.hebei.ledger.gov.cn/tls/server.crt',
      ),
    ).to.be.true;
    expect(
      layout.has(
        'organizations/peerOrganizations/tianjin.ledger.gov.cn/tlsca/tlsca.tianjin.ledger.gov.cn-cert.pem',
      ),
    ).to.be.true;
    expect(
      layout.has('organizations/peerOrganizations/hebei.ledger.gov.cn/users/Admin@hebei.ledger.gov.cn/msp'),
    ).to.be.true;
  });

  for (const [title, check] of Object.entries(CHECKS)) {
    it(title, function () {
      const report = runCheck(check, files);
      factsChecked += report.checked;
      expect(report.problems).to.deep.equal([]);
      expect(report.checked).to.be.greaterThan(0);
    });
  }

  describe('each check complains about a deliberately broken copy', function () {
    type Breakage = [title: string, check: Check, breakIt: (copy: NetworkFiles) => void, complaint: RegExp];

    const peers = (copy: NetworkFiles, key: string): Record<string, unknown> =>
      rec(at(copy.profiles[key], 'peers'));
    const composeService = (compose: unknown, name: string): Record<string, unknown> =>
      rec(at(compose, 'services', name));
    const setEnv = (svc: Record<string, unknown>, name: string, value: string): void => {
      svc.environment = list(svc.environment).map((item) =>
        String(item).startsWith(`${name}=`) ? `${name}=${value}` : item,
      );
    };

    const breakages: Breakage[] = [
      [
        'a profile whose peer URL has the wrong port',
        checkProfiles,
        (copy) => {
          rec(peers(copy, 'beijing')['peer0.beijing.ledger.gov.cn']).url = 'grpcs://localhost:7999';
        },
        /peers\.peer0\.beijing\.ledger\.gov\.cn\.url/,
      ],
      [
        'a profile naming a host that is no compose service',
        checkProfiles,
        (copy) => {
          const table = peers(copy, 'hebei');
          table['peer1.hebei.ledger.gov.cn'] = table['peer0.hebei.ledger.gov.cn'];
          delete table['peer0.hebei.ledger.gov.cn'];
        },
        /peers \(own first\)/,
      ],
      [
        'a profile with a misspelt MSP ID',
        checkMspIds,
        (copy) => {
          rec(at(copy.profiles.tianjin, 'client')).organization = 'TianJinMSP';
        },
        /client\.organization/,
      ],
      [
        'a profile whose TLS CA path is not generated by cryptogen',
        checkCryptoLayout,
        (copy) => {
          rec(at(peers(copy, 'beijing')['peer0.beijing.ledger.gov.cn'], 'tlsCACerts')).path =
            '../organizations/peerOrganizations/beijing.ledger.gov.cn/tlsca/ca.crt';
        },
        /not in the layout cryptogen generates/,
      ],
      [
        'a profile edited by hand instead of by network.sh profiles',
        checkProfilesMatchScript,
        (copy) => {
          rec(copy.profiles.hebei).version = '2.0.0';
        },
        /connection-hebei\.json vs network\.sh profiles/,
      ],
      [
        'a protocol registry that maps HE to another MSP',
        checkProtocolRegistry,
        (copy) => {
          copy.protocol = {
            ...copy.protocol,
            regions: { ...copy.protocol.regions, HE: { mspId: 'HebeiOrgMSP' } },
          };
        },
        /REGIONS\.HE\.mspId/,
      ],
      [
        'cryptogen without NodeOUs for one organisation',
        checkCryptoLayout,
        (copy) => {
          rec(list(at(copy.cryptogen, 'PeerOrgs'))[1]).EnableNodeOUs = false;
        },
        /EnableNodeOUs of tianjin/,
      ],
      [
        'a peer advertising the wrong address',
        checkComposeNodes,
        (copy) => {
          setEnv(
            composeService(copy.compose.network, 'peer0.tianjin.ledger.gov.cn'),
            'CORE_PEER_ADDRESS',
            'peer0.tianjin.ledger.gov.cn:7051',
          );
        },
        /CORE_PEER_ADDRESS/,
      ],
      [
        'a peer that offers the chaincode no batched writes (Fabric 3.1 runtime parameter off)',
        checkComposeNodes,
        (copy) => {
          setEnv(
            composeService(copy.compose.network, 'peer0.hebei.ledger.gov.cn'),
            'CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH',
            'false',
          );
        },
        /peer0\.hebei\.ledger\.gov\.cn CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH/,
      ],
      [
        'an orderer listening on another port than its consenter entry',
        checkComposeNodes,
        (copy) => {
          setEnv(
            composeService(copy.compose.network, 'orderer0.hebei.ledger.gov.cn'),
            'ORDERER_GENERAL_LISTENPORT',
            '9060',
          );
        },
        /ORDERER_GENERAL_LISTENPORT/,
      ],
      [
        'a CouchDB container added to the network',
        checkComposeNodes,
        (copy) => {
          rec(at(copy.compose.network, 'services')).couchdb0 = {
            image: 'couchdb:3.3.3',
            container_name: 'couchdb0',
          };
        },
        /CouchDB/,
      ],
      [
        'a Raft consenter with the wrong port',
        checkConfigtxNodes,
        (copy) => {
          rec(list(at(copy.configtx, 'Orderer', 'EtcdRaft', 'Consenters'))[1]).Port = 7050;
        },
        /Raft consenters/,
      ],
      [
        'an anchor peer that is not the organisation peer',
        checkConfigtxNodes,
        (copy) => {
          const org = list(at(copy.configtx, 'Organizations')).find((o) => at(o, 'ID') === 'BeijingMSP');
          rec(org).AnchorPeers = [{ Host: 'peer0.tianjin.ledger.gov.cn', Port: 8051 }];
        },
        /anchor peers of BeijingMSP/,
      ],
      [
        'two services publishing the same host port',
        checkPortsUnique,
        (copy) => {
          const svc = composeService(copy.compose.network, 'peer0.tianjin.ledger.gov.cn');
          svc.ports = [...list(svc.ports), '7444:8444'];
        },
        /port 7444 is published by both/,
      ],
      [
        'a policy naming an organisation that is not defined',
        checkPolicies,
        (copy) => {
          const org = list(at(copy.configtx, 'Organizations')).find((o) => at(o, 'ID') === 'HebeiMSP');
          rec(at(org, 'Policies', 'Readers')).Rule = "OR('HebeiMSP.member', 'ShanghaiMSP.member')";
        },
        /undefined organisation ShanghaiMSP/,
      ],
      [
        'an application capability of an older Fabric',
        checkPolicies,
        (copy) => {
          rec(at(copy.configtx, 'Profiles', 'ApprovalChannel', 'Application')).Capabilities = { V2_0: true };
        },
        /application capabilities/,
      ],
      [
        'a connection profile for another channel',
        checkNames,
        (copy) => {
          const ccp = rec(copy.profiles.beijing);
          ccp.channels = { mychannel: at(ccp, 'channels', 'approval') };
        },
        /connection-beijing\.json channels/,
      ],
      [
        'a README that does not say how the hub points at the network',
        checkNames,
        (copy) => {
          copy.readme = copy.readme.replaceAll('FABRIC_WALLET', 'WALLET');
        },
        /README\.md does not mention FABRIC_WALLET/,
      ],
      [
        'a chaincode server whose name does not follow the peer and definition names',
        checkCcaas,
        (copy) => {
          const services = rec(at(copy.compose.ccaas, 'services'));
          services['peer0hebei_cc_ccaas'] = services['peer0hebei_approval-tj-he_ccaas'];
          delete services['peer0hebei_approval-tj-he_ccaas'];
        },
        /no service 'peer0hebei_approval-tj-he_ccaas'/,
      ],
      [
        'two definitions on one package label (one package shared by definitions)',
        checkCcaas,
        (copy) => {
          copy.topology.definitions = copy.topology.definitions.map((d) =>
            d.name === 'approval-bj-tj' ? { ...d, packageLabel: 'approval-beijing_1.0' } : d,
          );
        },
        /approval-bj-tj: package label 'approval-beijing_1.0' is not its own[\s\S]*approval-bj-tj shares its package label 'approval-beijing_1.0' with approval-beijing/,
      ],
      [
        "a definition whose connection address is another definition's chaincode servers",
        checkCcaas,
        (copy) => {
          copy.topology.definitions = copy.topology.definitions.map((d) =>
            d.name === 'approval-tianjin'
              ? { ...d, ccaasAddress: '{{.peername}}_approval-beijing_ccaas:9999' }
              : d,
          );
        },
        /approval-tianjin shares its chaincode server address '\{\{\.peername\}\}_approval-beijing_ccaas:9999' with approval-beijing/,
      ],
      [
        "a chaincode server started with another definition's package id",
        checkCcaas,
        (copy) => {
          setEnv(
            composeService(copy.compose.ccaas, 'peer0tianjin_approval-bj-tj_ccaas'),
            'CHAINCODE_ID',
            '${CHAINCODE_ID_APPROVAL_BEIJING:?unset}',
          );
        },
        /peer0tianjin_approval-bj-tj_ccaas: CHAINCODE_ID must be the package id of approval-bj-tj/,
      ],
      [
        'a connection address without the peer name (every peer dialling one server)',
        checkCcaas,
        (copy) => {
          copy.topology.definitions = copy.topology.definitions.map((d) =>
            d.name === 'approval-hebei' ? { ...d, ccaasAddress: 'approval-hebei_ccaas:9999' } : d,
          );
        },
        /approval-hebei: address 'approval-hebei_ccaas:9999' is the same for every peer/,
      ],
      [
        'a CA config listening on another port than compose publishes',
        checkCaConfigs,
        (copy) => {
          rec(copy.caConfigs.tianjin).port = 8055;
        },
        /ca\/tianjin\/fabric-ca-server-config\.yaml port/,
      ],
      [
        'a CA whose registrar may not give the ledger attributes',
        checkCaConfigs,
        (copy) => {
          for (const identity of list(at(copy.caConfigs.beijing, 'registry', 'identities'))) {
            rec(at(identity, 'attrs'))['hf.Registrar.Attributes'] = 'hf.Revoker';
          }
        },
        /ledger-registrar may not give ledger\.role and ledger\.dept/,
      ],
      [
        "a CA bootstrap admin named 'admin', the hub's wallet label of a region admin",
        checkRunbookIdentities,
        (copy) => {
          const identities = list(at(copy.caConfigs.tianjin, 'registry', 'identities'));
          rec(identities[0]).name = 'admin';
        },
        /ca\/tianjin: bootstrap identity 'admin' takes the wallet label/,
      ],
      [
        'a runbook that enrolls a user the hub never looks for',
        checkRunbookIdentities,
        (copy) => {
          copy.readme += '\n./network.sh enroll beijing bj-hc-approver approver HC\n';
        },
        /enrolls 'bj-hc-approver', but the hub looks for 'approver-hc'/,
      ],
      [
        "a runbook pointing FABRIC_WALLET at one region's folder",
        checkRunbookIdentities,
        (copy) => {
          copy.readme += '\nFABRIC_WALLET=network/wallet/beijing npm start\n';
        },
        /FABRIC_WALLET=network\/wallet\/beijing is not the wallet root/,
      ],
      [
        'a deploy that waits for all three approvals',
        checkDeployMajority,
        (copy) => {
          copy.script = copy.script.replace(
            'approvals_suffice "${readiness}" ||',
            "printf '%s' \"${readiness}\" | jq -e '.approvals.BeijingMSP and .approvals.TianjinMSP and .approvals.HebeiMSP' ||",
          );
        },
        /waits for every organisation to approve/,
      ],
      [
        "a deploy that lets any region endorse Beijing's records",
        checkChaincodeDefinitions,
        (copy) => {
          copy.topology.definitions = copy.topology.definitions.map((d) =>
            d.name === 'approval-beijing'
              ? { ...d, signaturePolicy: "OR('BeijingMSP.peer','TianjinMSP.peer','HebeiMSP.peer')" }
              : d,
          );
        },
        /approval-beijing/,
      ],
      [
        'a deploy whose recognition pair is endorsable by either region alone',
        checkChaincodeDefinitions,
        (copy) => {
          copy.topology.definitions = copy.topology.definitions.map((d) =>
            d.name === 'approval-bj-tj'
              ? { ...d, signaturePolicy: "OR('BeijingMSP.peer','TianjinMSP.peer')" }
              : d,
          );
        },
        /approval-bj-tj: 'OR\('BeijingMSP.peer','TianjinMSP.peer'\)' lets one region endorse alone/,
      ],
      [
        'a network.sh that never joins the orderers',
        checkScriptSteps,
        (copy) => {
          copy.script = copy.script.replaceAll('osnadmin channel join', 'osnadmin channel list');
        },
        /never runs 'osnadmin channel join'/,
      ],
    ];

    for (const [title, check, breakIt, complaint] of breakages) {
      it(title, function () {
        expect(runCheck(check, files).problems, 'the intact files pass this check').to.deep.equal([]);
        const copy = structuredClone(files);
        breakIt(copy);
        const problems = runCheck(check, copy).problems;
        expect(problems.join('\n')).to.match(complaint);
      });
    }

    it('a network.sh with a syntax error', function () {
      const dir = mkdtempSync(join(tmpdir(), 'network-sh-'));
      try {
        const broken = join(dir, 'network.sh');
        writeFileSync(
          broken,
          readFileSync(join(NETWORK_DIR, 'network.sh'), 'utf8').replace('cmd_down() {', 'cmd_down() { if'),
        );
        expect(bashSyntax(broken).status).to.not.equal(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('every check has at least one breakage above', function () {
      const broken = new Set(breakages.map(([, check]) => check));
      const unbroken = Object.entries(CHECKS).filter(([, check]) => !broken.has(check));
      expect(unbroken.map(([title]) => title)).to.deep.equal([]);
    });
  });
});
