import { AppConfig, ConfigError, parseConfig } from '../config/app-config';

/** Parses the environment or ends the process with a message naming each bad setting. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kubelab: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** The logger settings of a start-up that failed after its configuration was read: errors only. */
export const CRASH_LOG = { logLevel: 'error', logFormat: 'auto' } as const;
