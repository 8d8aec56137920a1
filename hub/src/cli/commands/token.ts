/**
 * `ledger token --region BJ --role auditor [--dept HC]`: prints a bearer token for the data dir's hub,
 * signed with its key in `<dataDir>/keys/` and recorded in its store (so the hub accepts it). A data dir
 * where no hub has started is refused, naming it: the token would be signed with a new key no hub knows.
 */
import { DepartmentSchema, RegionSchema, RoleSchema } from '@approval-ledger/protocol';
import { type Command } from 'commander';
import { type IssueTokenRequest, loadOrCreateTokenSigningKey, TokenService } from '../../auth';
import { openStore } from '../../store';
import { type CliCommand } from '../cli-command';
import { CliFailure, failureOf, reportFailure } from '../cli-failure';
import { dataDirectory, requireHubDataDir } from '../data-dir';
import { cliStoreOptions } from '../store-options';

interface TokenOptions {
  region: string;
  role: string;
  dept?: string;
  subject?: string;
  ttl?: string;
  json?: boolean;
}

export const tokenCommand: CliCommand = {
  name: 'token',
  register(program: Command): void {
    program
      .command('token')
      .description('print a bearer token for the running data dir')
      .requiredOption('--region <region>', 'BJ, TJ or HE')
      .requiredOption('--role <role>', 'approver, authority, admin or auditor')
      .option('--dept <dept>', 'department (required for approvers): DRC, PNR, HC, EE, FIRE, SAMR, CREDIT')
      .option('--subject <name>', 'who the token is for (default: cli-<role>)')
      .option('--ttl <hours>', 'lifetime in hours (default 24)')
      .option('--json', 'print the token and its claims as JSON')
      .action(async (options: TokenOptions) => {
        process.exitCode = await runToken(dataDirectory(), options);
      });
  },
};

export async function runToken(
  dataDir: string,
  options: TokenOptions,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  try {
    const request = tokenRequest(options);
    requireHubDataDir(dataDir);
    const store = await openStore(cliStoreOptions(dataDir));
    try {
      const tokens = new TokenService({
        key: await loadOrCreateTokenSigningKey(dataDir),
        tokens: store.tokens,
      });
      const issued = await tokens.issue(request);
      out.write(
        options.json
          ? `${JSON.stringify({ token: issued.token, claims: issued.claims })}\n`
          : `${issued.token}\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    return reportFailure(failureOf(error, 1), err);
  }
}

function tokenRequest(options: TokenOptions): IssueTokenRequest {
  const region = parse(RegionSchema, options.region, 'region');
  const role = parse(RoleSchema, options.role, 'role');
  const dept = options.dept === undefined ? undefined : parse(DepartmentSchema, options.dept, 'dept');
  return {
    subject: options.subject ?? `cli-${role}`,
    region,
    role,
    ...(dept ? { dept } : {}),
    ttlSeconds: Math.round(Number(options.ttl ?? '24') * 3600),
    issuedBy: 'cli',
  };
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: string,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new CliFailure(`unknown ${what} ${JSON.stringify(value)}`, 2);
  return result.data;
}
