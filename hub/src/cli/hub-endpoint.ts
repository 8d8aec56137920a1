/** Where the CLI finds the running hub and its NATS: flags, then the environment, then the data dir's runtime file. */
import { readRuntimeFile } from '../runtime-file';
import { dataDirectory } from './data-dir';

export function hubUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return (
    flag ??
    env.HUB_URL ??
    readRuntimeFile(dataDirectory(env))?.url ??
    `http://127.0.0.1:${env.PORT ?? '8080'}`
  ).replace(/\/$/, '');
}

export function natsUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.NATS_URL ?? readRuntimeFile(dataDirectory(env))?.natsUrl ?? 'nats://127.0.0.1:4222';
}

export { CliFailure } from './cli-failure';
