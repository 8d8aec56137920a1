/** Quiet in tests unless ADAPTER_TEST_LOG=1. */
import { consoleLogger, silentLogger, type Logger } from '../../src/core/logger';

export function testLogger(name: string): Logger {
  return process.env.ADAPTER_TEST_LOG === '1' ? consoleLogger(name) : silentLogger;
}
