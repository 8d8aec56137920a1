/**
 * `ledger authority-sim [--hub <url>] [--interval <seconds>] [--steps <n>]`: the recognition authorities of
 * Beijing, Tianjin and Hebei at work against the running hub of the data dir (`npm start` runs it), through the
 * hub's API: they ask to recognise each other's results, decide with their registered officials' EIP-712 keys
 * (`<data>/keys/officials/`, registered by the hub when it seeded the signer registries), and Beijing revokes a
 * recognised certificate (a revocation published on NATS, as `ledger import` publishes a legacy export) and a
 * recognised milestone (a 撤销 through the API) so that the other region sees SOURCE_REVOKED (`../../simulation/authority-workflow.ts`).
 * Its tokens are issued like `ledger token`'s: signed with the hub's key, recorded in its store.
 */
import {
  envelopeSubject,
  natsMsgId,
  type DepartmentCode,
  type RegionCode,
  type Role,
} from '@approval-ledger/protocol';
import { type Command } from 'commander';
import { loadOrCreateTokenSigningKey, TokenService } from '../../auth';
import { officialKey } from '../../services/registry-seeder';
import { AuthorityWorkflow, type TokenIssuer } from '../../simulation/authority-workflow';
import { openStore } from '../../store';
import { type CliCommand } from '../cli-command';
import { CliFailure, failureOf, reportFailure } from '../cli-failure';
import { dataDirectory, requireHubDataDir } from '../data-dir';
import { hubUrl, natsUrl } from '../hub-endpoint';
import { NatsBus } from '../../bus/nats-bus';
import { cliStoreOptions } from '../store-options';

interface AuthoritySimOptions {
  hub?: string;
  nats?: string;
  interval?: string;
  steps?: string;
}

export const authoritySimCommand: CliCommand = {
  name: 'authority-sim',
  register(program: Command): void {
    program
      .command('authority-sim')
      .description(
        "run the three regions' recognition authorities against the running hub (the default run's story)",
      )
      .option('--hub <url>', 'the hub (default: HUB_URL, else the data dir’s running hub)')
      .option('--nats <url>', 'NATS, for certificate revocations (default: NATS_URL, else the running hub’s)')
      .option('--interval <seconds>', 'time between two steps (default 4)')
      .option('--steps <n>', 'stop after this many steps (default: until SIGINT/SIGTERM)')
      .action(async (options: AuthoritySimOptions) => {
        process.exitCode = await runAuthoritySim(dataDirectory(), options);
      });
  },
};

/** Tokens of the data dir's hub, issued as `ledger token` issues them (a day long; the workflow keeps them). */
export function dataDirTokenIssuer(dataDir: string): TokenIssuer {
  return async (region: RegionCode, role: Role, dept?: DepartmentCode) => {
    const store = await openStore(cliStoreOptions(dataDir));
    try {
      const tokens = new TokenService({
        key: await loadOrCreateTokenSigningKey(dataDir),
        tokens: store.tokens,
      });
      const issued = await tokens.issue({
        subject: `authority-sim-${region.toLowerCase()}-${role}${dept ? `-${dept.toLowerCase()}` : ''}`,
        region,
        role,
        ...(dept ? { dept } : {}),
        issuedBy: 'authority-sim',
      });
      return issued.token;
    } finally {
      await store.close();
    }
  };
}

function parseOptions(options: AuthoritySimOptions): { intervalMs: number; steps: number } {
  const interval = Number(options.interval ?? '4');
  if (!Number.isFinite(interval) || interval <= 0)
    throw new CliFailure(
      `interval: ${JSON.stringify(options.interval)} is not a positive number of seconds`,
      2,
    );
  const steps = options.steps === undefined ? Infinity : Number(options.steps);
  if (!Number.isInteger(steps) && steps !== Infinity)
    throw new CliFailure(`steps: ${JSON.stringify(options.steps)} is not a whole number`, 2);
  return { intervalMs: interval * 1000, steps };
}

export async function runAuthoritySim(dataDir: string, options: AuthoritySimOptions): Promise<number> {
  try {
    requireHubDataDir(dataDir);
    const { intervalMs, steps } = parseOptions(options);
    const log = (line: string) => console.log(`[authority-sim] ${line}`);
    const bus = await NatsBus.connect(natsUrl(options.nats), 'approval-ledger-authority-sim');
    const workflow = new AuthorityWorkflow({
      hubUrl: hubUrl(options.hub),
      publishLegacy: async (envelope) => {
        await bus.publish(envelopeSubject(envelope), JSON.stringify(envelope), {
          msgId: natsMsgId(envelope.source),
        });
      },
      tokens: dataDirTokenIssuer(dataDir),
      official: (region) => officialKey(dataDir, region),
      log,
    });
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (steps === Infinity) await workflow.run(controller.signal, intervalMs);
    else
      for (let i = 0; i < steps && !controller.signal.aborted; i++) {
        const step = await workflow.step();
        if (step.kind === 'wait') await new Promise((r) => setTimeout(r, intervalMs));
      }
    await bus.close();
    log('stopped');
    return 0;
  } catch (error) {
    return reportFailure(failureOf(error, 1));
  }
}
