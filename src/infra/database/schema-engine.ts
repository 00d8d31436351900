import { readFileSync } from 'node:fs';

import type {
  ApplyMigrationsInput,
  ApplyMigrationsOutput,
  DiagnoseMigrationHistoryInput,
  DiagnoseMigrationHistoryOutput,
  DiffParams,
  DiffResult,
  SchemaFilter,
} from '@prisma/schema-engine-wasm';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

/** The subset of Prisma's WebAssembly schema engine that the migration tools use. */
export interface SchemaEngine {
  applyMigrations(input: ApplyMigrationsInput): Promise<ApplyMigrationsOutput>;
  diagnoseMigrationHistory(input: DiagnoseMigrationHistoryInput): Promise<DiagnoseMigrationHistoryOutput>;
  diff(params: DiffParams): Promise<DiffResult>;
  free(): void;
}

type WasmExports = Record<string, unknown>;

// Node provides WebAssembly at runtime; this project's type libraries (no DOM) do not declare it.
const { WebAssembly: wasmRuntime } = globalThis as unknown as {
  WebAssembly: {
    instantiate(
      bytes: Uint8Array,
      imports: Record<string, object>,
    ): Promise<{ instance: { exports: WasmExports } }>;
  };
};

interface SchemaEngineModule {
  __wbg_set_wasm(exports: WasmExports): void;
  SchemaEngine: {
    new: (
      options: { datamodels: [string, string][] | undefined },
      log: (line: string) => void,
      adapterFactory: object,
    ) => Promise<SchemaEngine>;
  };
}

/** Neither tables nor enums are managed outside Prisma in this project. */
export const NO_EXTERNAL_ENTITIES: SchemaFilter = { externalTables: [], externalEnums: [] };

let loadedModule: Promise<SchemaEngineModule> | undefined;

/**
 * The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do, so
 * the bindings module is loaded on its own and the WebAssembly instantiated here. The bindings
 * keep the instance in module state: it is created once per process.
 */
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  loadedModule ??= (async () => {
    installPanicRegistry();
    const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bindings = require(bindingsPath) as SchemaEngineModule & Record<string, unknown>;
    const wasmBytes = readFileSync(bindingsPath.replace(/\.js$/, '.wasm'));
    const { instance } = await wasmRuntime.instantiate(wasmBytes, {
      './schema_engine_bg.js': withUnreferencedTimers(bindings),
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return loadedModule;
}

/**
 * When the Rust code panics, the bindings hand the message to a global registry and then trap
 * with a bare "unreachable" error (which, inside an async callback, ends the process). Without the
 * registry they crash before saying anything; with it, the actual cause reaches stderr.
 */
function installPanicRegistry(): void {
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      process.stderr.write(`Prisma schema engine panicked: ${message}\n`);
    },
  };
}

/**
 * The engine arms a ~10 s timer that nothing waits for; left referenced it keeps a finished
 * `db:migrate` (or a test worker) alive. Its timers never need to hold the process open: real
 * work always has a pending database call.
 */
function withUnreferencedTimers(bindings: Record<string, unknown>): Record<string, unknown> {
  const imports = { ...bindings };
  for (const name of Object.keys(imports)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    imports[name] = (callback: () => void, delayMs: number) => setTimeout(callback, delayMs >>> 0).unref();
  }
  return imports;
}

/**
 * Starts a schema engine that works through the given driver adapter (PostgreSQL or PGlite).
 * `schemaText` is the Prisma schema it should consider the datamodel; migrations-only work
 * (applying) does not need one.
 */
export async function startSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schemaText?: string,
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  const module = await loadSchemaEngineModule();
  const datamodels: [string, string][] | undefined = schemaText ? [['schema.prisma', schemaText]] : undefined;
  return module.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(adapterFactory));
}
