/**
 * `npm run bench:sql`: CPU per statement of the command hot path, through Prisma's query layer and
 * through the plain-SQL runner (DatabaseRepository.sql: pg named prepared statements on the same pool),
 * against a throwaway PostgreSQL database. Sequential, so wall time is one round trip each.
 * Environment: BENCH_ROUNDS (2000).
 */
import { performance } from 'node:perf_hooks';
import { sqlRunnerOf } from '../src/infra/database/prisma-client.factory';
import { createTestDatabase } from '../test/support/database';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);

async function measure(label: string, statement: (round: number) => Promise<unknown>): Promise<number> {
  for (let round = 0; round < 50; round++) await statement(round); // warm up
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) await statement(round);
  const wall = (performance.now() - started) / ROUNDS;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / ROUNDS;
  process.stdout.write(`  ${label.padEnd(46)} CPU ${cpuMs.toFixed(3)} ms   wall ${wall.toFixed(3)} ms\n`);
  return cpuMs;
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const prisma = db.prisma;
  const sql = sqlRunnerOf(prisma);
  try {
    const user = await prisma.user.create({
      data: { email: 'bench@example.edu', passwordHash: 'x', displayName: 'bench', role: 'student' },
    });
    const course = await prisma.course.create({
      data: { title: 'bench', joinCode: 'BENCHSQL', ownerId: user.id },
    });
    await prisma.lab.create({ data: { id: 'bench', title: 'bench', version: '1', definition: {} } });
    const session = await prisma.labSession.create({
      data: { userId: user.id, courseId: course.id, labId: 'bench' },
    });
    const total = ROUNDS + 50;
    const runs = await Promise.all(
      Array.from({ length: total }, (_, index) =>
        prisma.commandRun.create({
          data: { labSessionId: session.id, userId: user.id, seq: index + 1, command: 'kubectl get pods' },
          select: { id: true },
        }),
      ),
    );
    const idOf = (round: number) => runs[round % total].id;
    process.stdout.write(
      `bench:sql — ${ROUNDS} sequential statements each, CPU of this process per statement\n`,
    );
    const viaPrisma = await measure('Prisma: mark a run started (updateMany)', (round) =>
      prisma.commandRun.updateMany({
        where: { id: idOf(round) },
        data: { status: 'running', startedAt: new Date() },
      }),
    );
    const viaRaw = await measure(
      'Prisma: the same as $executeRaw',
      (round) =>
        prisma.$executeRaw`UPDATE command_runs SET status = 'running', started_at = ${new Date()} WHERE id = ${idOf(round)}::uuid`,
    );
    const viaSql = await measure('plain SQL: the same, prepared', (round) =>
      sql(
        {
          name: 'bench.start',
          text: "UPDATE command_runs SET status = 'running', started_at = $2 WHERE id = $1",
        },
        [idOf(round), new Date()],
      ),
    );
    const floor = await measure('plain SQL: SELECT 1 (floor)', () =>
      sql({ name: 'bench.one', text: 'SELECT 1' }, []),
    );
    process.stdout.write(
      `  ratios to plain SQL: Prisma ${(viaPrisma / viaSql).toFixed(1)}×, $executeRaw ${(viaRaw / viaSql).toFixed(1)}×; plain SQL / SELECT 1 ${(viaSql / floor).toFixed(1)}×\n`,
    );
  } finally {
    await db.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
