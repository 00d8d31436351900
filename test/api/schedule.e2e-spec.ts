import request from 'supertest';
import { LabSessionRepository } from '../../src/repositories/lab-session.repository';
import { StepResultRepository } from '../../src/repositories/step-result.repository';
import { LabCatalogService } from '../../src/services/lab-catalog.service';
import { DEMO_INSTRUCTOR, DEMO_PASSWORD, SeedService } from '../../src/services/seed.service';
import type { Gradebook, LabView } from '../../src/shared/http-api';
import type { CourseOverview, CourseSchedule } from '../../src/shared/schedule-api';
import { startTestApi, TestApi } from '../support/api';

type Agent = ReturnType<typeof request.agent>;
interface Row {
  labId: string;
  opensAt: string | null;
  dueAt: string | null;
  weight: number;
}

describe('course schedules over HTTP', () => {
  let api: TestApi;
  let courseId: string;
  let teacher: Agent;
  let student1: Agent;
  let student2: Agent;
  let student1Id: string;
  let student2Id: string;
  let labIds: string[];

  async function login(email: string) {
    const agent = request.agent(api.server);
    const me = await agent.post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200);
    return { agent, id: me.body.id as string };
  }

  /** Every lab undated with weight 1, then `changes` applied (the schedule keeps the labs' order). */
  function schedule(changes: Record<string, Partial<Row>> = {}): Row[] {
    return labIds.map((labId) => ({ labId, opensAt: null, dueAt: null, weight: 1, ...changes[labId] }));
  }

  async function putSchedule(rows: Row[]): Promise<CourseSchedule> {
    return (await teacher.put(`/api/courses/${courseId}/schedule`).send({ labs: rows }).expect(200)).body;
  }

  /** Passes steps the way the worker's grading records them, at the time given. */
  async function pass(userId: string, labId: string, stepIds: string[], at = new Date()) {
    const session = await api.app.get(LabSessionRepository).upsert({ userId, courseId, labId });
    const steps = api.app
      .get(LabCatalogService)
      .get(labId)!
      .steps.filter((step) => stepIds.includes(step.id));
    await api.app.get(StepResultRepository).recordEvaluations(
      session.id,
      at,
      steps.map((step) => ({ stepId: step.id, passed: true, points: step.points, maxPoints: step.points })),
    );
  }

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
    courseId = (await api.app.get(SeedService).seedDemo()).courseId;
    teacher = (await login(DEMO_INSTRUCTOR)).agent;
    ({ agent: student1, id: student1Id } = await login('student1@kubelab.local'));
    ({ agent: student2, id: student2Id } = await login('student2@kubelab.local'));
    labIds = api.app
      .get(LabCatalogService)
      .all()
      .map((lab) => lab.id);
    expect(labIds.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => api.close());

  it("starts with every lab open and undated, in the labs' own order, in the Asia/Shanghai zone", async () => {
    const course = await teacher.get(`/api/courses/${courseId}`).expect(200);
    expect(course.body.timeZone).toBe('Asia/Shanghai');
    const current = (await teacher.get(`/api/courses/${courseId}/schedule`).expect(200))
      .body as CourseSchedule;
    expect(current.labs.map((lab) => lab.labId)).toEqual(labIds);
    expect(current.labs.every((lab) => lab.opensAt === null && lab.dueAt === null && lab.weight === 1)).toBe(
      true,
    );
    const seen = (await student1.get(`/api/courses/${courseId}/labs`).expect(200)).body as LabView[];
    expect(seen.map((lab) => lab.id)).toEqual(labIds);
    expect(seen[0].schedule).toMatchObject({ dueAt: null, extended: false });
  });

  it('hides a lab that has not opened from students (404) but not from the instructor, until it opens', async () => {
    const [first, second] = labIds;
    const rows = schedule({ [first]: { opensAt: '2099-09-01T08:00' } });
    // A new order: the second lab first.
    const saved = await putSchedule([rows[1], rows[0], ...rows.slice(2)]);
    expect(saved.labs.slice(0, 2).map((lab) => lab.labId)).toEqual([second, first]);
    // 08:00 in Beijing is 00:00 UTC.
    expect(saved.labs[1]).toMatchObject({
      opensAt: '2099-09-01T00:00:00.000Z',
      opensAtLocal: '2099-09-01T08:00',
    });

    const listed = (await student1.get(`/api/courses/${courseId}/labs`).expect(200)).body as LabView[];
    expect(listed.map((lab) => lab.id)).toEqual([second, ...labIds.slice(2)]);
    await student1.get(`/api/courses/${courseId}/labs/${first}`).expect(404);
    const start = await student1.post(`/api/courses/${courseId}/labs/${first}/session`).expect(404);
    expect(start.body.message).toBe('Lab not found in this course.');

    const staffList = (await teacher.get(`/api/courses/${courseId}/labs`).expect(200)).body as LabView[];
    expect(staffList.map((lab) => lab.id)).toEqual([second, first, ...labIds.slice(2)]);
    const staffView = (await teacher.get(`/api/courses/${courseId}/labs/${first}`).expect(200))
      .body as LabView;
    expect(staffView.schedule?.opensAtLocal).toBe('2099-09-01T08:00');

    await putSchedule(schedule({ [first]: { opensAt: '2020-09-01T08:00+08:00' } }));
    const opened = (await student1.get(`/api/courses/${courseId}/labs/${first}`).expect(200)).body as LabView;
    expect(opened.schedule?.opensAt).toBe('2020-09-01T00:00:00.000Z');
    expect(opened.steps[0].solution).toBeUndefined();
  });

  it('keeps a lab left out of the schedule away from students, and lists it as another lab', async () => {
    const [first, ...rest] = labIds;
    const saved = await putSchedule(schedule().slice(1));
    expect(saved.otherLabs.map((lab) => lab.labId)).toEqual([first]);
    await student1.get(`/api/courses/${courseId}/labs/${first}`).expect(404);
    await teacher.get(`/api/courses/${courseId}/labs/${first}`).expect(404);
    const listed = (await student1.get(`/api/courses/${courseId}/labs`).expect(200)).body as LabView[];
    expect(listed.map((lab) => lab.id)).toEqual(rest);
    await putSchedule(schedule());
  });

  it('flags steps passed after the due time as late, keeps their points, and lets an extension clear one student', async () => {
    const labId = labIds[1];
    const lab = api.app.get(LabCatalogService).get(labId)!;
    const [stepA, stepB] = lab.steps;
    await putSchedule(schedule());
    // Before any due time: nothing is late.
    await pass(student1Id, labId, [stepA.id], new Date(Date.now() - 3600_000));
    await putSchedule(schedule({ [labId]: { dueAt: new Date(Date.now() - 1800_000).toISOString() } }));
    // After it (the due time is in the past now): both students pass a step.
    await pass(student1Id, labId, [stepB.id]);
    await pass(student2Id, labId, [stepA.id]);

    let book = (await teacher.get(`/api/courses/${courseId}/gradebook?labId=${labId}`).expect(200))
      .body as Gradebook;
    const rowOf = (id: string) => book.rows.find((row) => row.userId === id)!;
    expect(rowOf(student1Id).steps[stepA.id]).toMatchObject({ state: 'passed', late: false });
    expect(rowOf(student1Id).steps[stepB.id]).toMatchObject({
      state: 'passed',
      late: true,
      points: stepB.points,
    });
    expect(rowOf(student1Id)).toMatchObject({ late: true, totalPoints: stepA.points + stepB.points });
    expect(rowOf(student2Id)).toMatchObject({ late: true, totalPoints: stepA.points });
    expect(rowOf(student2Id).steps[stepA.id].late).toBe(true);
    expect(book.rows.filter((row) => row.late)).toHaveLength(2);

    const extension = await teacher
      .put(`/api/courses/${courseId}/labs/${labId}/extensions/${student1Id}`)
      .send({ dueAt: '2099-01-02T23:59' })
      .expect(200);
    expect(extension.body).toMatchObject({
      dueAt: '2099-01-02T15:59:00.000Z',
      dueAtLocal: '2099-01-02T23:59',
    });
    book = (await teacher.get(`/api/courses/${courseId}/gradebook?labId=${labId}`).expect(200))
      .body as Gradebook;
    expect(rowOf(student1Id)).toMatchObject({ late: false, dueAt: '2099-01-02T15:59:00.000Z' });
    expect(rowOf(student1Id).steps[stepB.id].late).toBe(false);
    expect(rowOf(student2Id).late).toBe(true);

    // Each student sees their own due time.
    const mine = (await student1.get(`/api/courses/${courseId}/labs/${labId}`).expect(200)).body as LabView;
    expect(mine.schedule).toMatchObject({ dueAtLocal: '2099-01-02T23:59', extended: true });
    const theirs = (await student2.get(`/api/courses/${courseId}/labs/${labId}`).expect(200)).body as LabView;
    expect(theirs.schedule?.extended).toBe(false);
    expect(new Date(theirs.schedule!.dueAt!).getTime()).toBeLessThan(Date.now());

    const csv = await teacher.get(`/api/courses/${courseId}/gradebook.csv?labId=${labId}`).expect(200);
    const lines = csv.text.slice(1).trim().split('\r\n');
    expect(lines[0].endsWith(',completed_at,due_at,late,late_steps,lab_version')).toBe(true);
    expect(lines.find((line) => line.startsWith('student1@kubelab.local,'))).toMatch(
      /,2099-01-02T15:59:00\.000Z,no,,$/,
    );
    expect(lines.find((line) => line.startsWith('student2@kubelab.local,'))).toMatch(
      new RegExp(`,yes,${stepA.id},$`),
    );

    const schedulePage = (await teacher.get(`/api/courses/${courseId}/schedule`).expect(200))
      .body as CourseSchedule;
    expect(schedulePage.extensions).toEqual([
      expect.objectContaining({ labId, userId: student1Id, email: 'student1@kubelab.local' }),
    ]);
    await teacher.delete(`/api/courses/${courseId}/labs/${labId}/extensions/${student1Id}`).expect(204);
    book = (await teacher.get(`/api/courses/${courseId}/gradebook?labId=${labId}`).expect(200))
      .body as Gradebook;
    expect(rowOf(student1Id).late).toBe(true);
  });

  it('weights the course total by lab weight, and the overview and its CSV show completion and late work', async () => {
    const [, , heavy] = labIds;
    const other = labIds[1];
    const heavySteps = api.app.get(LabCatalogService).get(heavy)!.steps;
    await pass(
      student2Id,
      heavy,
      heavySteps.map((step) => step.id),
    );

    // Only two labs count: `heavy` (all done by student2) and `other` (one step of it done).
    const otherLab = api.app.get(LabCatalogService).get(other)!;
    const otherShare = otherLab.steps[0].points / otherLab.steps.reduce((sum, step) => sum + step.points, 0);
    const weights = (heavyWeight: number, otherWeight: number) =>
      schedule(
        Object.fromEntries(
          labIds.map((id) => [
            id,
            {
              weight: id === heavy ? heavyWeight : id === other ? otherWeight : 0,
              dueAt: id === other ? new Date(Date.now() - 1800_000).toISOString() : null,
            },
          ]),
        ),
      );
    const expected = (heavyWeight: number, otherWeight: number) =>
      Math.round(((heavyWeight * 1 + otherWeight * otherShare) / (heavyWeight + otherWeight)) * 10000) / 100;

    await putSchedule(weights(3, 1));
    let overview = (await teacher.get(`/api/courses/${courseId}/overview`).expect(200))
      .body as CourseOverview;
    const student = () => overview.students.find((row) => row.userId === student2Id)!;
    expect(student().weightedPercent).toBe(expected(3, 1));
    expect(student().labs[heavy]).toMatchObject({
      passedSteps: heavySteps.length,
      totalSteps: heavySteps.length,
      late: false,
    });
    expect(student().labs[heavy].completedAt).not.toBeNull();
    expect(student().labs[other]).toMatchObject({ passedSteps: 1, late: true });

    await putSchedule(weights(1, 3));
    overview = (await teacher.get(`/api/courses/${courseId}/overview`).expect(200)).body as CourseOverview;
    expect(student().weightedPercent).toBe(expected(1, 3));
    expect(expected(1, 3)).not.toBe(expected(3, 1));

    const csv = await teacher.get(`/api/courses/${courseId}/overview.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      [
        'email',
        'name',
        ...overview.labs.flatMap((lab) => [
          `${lab.labId} steps (${lab.stepCount})`,
          `${lab.labId} points (${lab.maxPoints})`,
          `${lab.labId} late`,
        ]),
        'weighted_total_percent',
      ].join(','),
    );
    const cells = lines.find((line) => line.startsWith('student2@kubelab.local,'))!.split(',');
    const column = (name: string) => cells[lines[0].split(',').indexOf(name)];
    expect(column(`${heavy} steps (${heavySteps.length})`)).toBe(String(heavySteps.length));
    expect(column(`${other} late`)).toBe('yes');
    expect(column(`${heavy} late`)).toBe('no');
    expect(column('weighted_total_percent')).toBe(expected(1, 3).toFixed(2));
    expect(lines).toHaveLength(1 + 5);
  });

  it('reads local times in the course zone, which the instructor can change', async () => {
    const changed = await teacher
      .put(`/api/courses/${courseId}/time-zone`)
      .send({ timeZone: 'Europe/London' });
    expect(changed.status).toBe(200);
    expect(changed.body.timeZone).toBe('Europe/London');
    const saved = await putSchedule(schedule({ [labIds[0]]: { dueAt: '2026-07-01T12:00' } }));
    expect(saved.labs[0]).toMatchObject({
      dueAt: '2026-07-01T11:00:00.000Z',
      dueAtLocal: '2026-07-01T12:00',
    });
    await teacher.put(`/api/courses/${courseId}/time-zone`).send({ timeZone: 'Asia/Shanghai' }).expect(200);
    const back = (await teacher.get(`/api/courses/${courseId}/schedule`).expect(200)).body as CourseSchedule;
    expect(back.labs[0]).toMatchObject({ dueAt: '2026-07-01T11:00:00.000Z', dueAtLocal: '2026-07-01T19:00' });
  });

  it('refuses bad input with a clear message and keeps students and outsiders out', async () => {
    const bad = async (rows: unknown, pattern: RegExp) => {
      const response = await teacher
        .put(`/api/courses/${courseId}/schedule`)
        .send({ labs: rows })
        .expect(400);
      expect(JSON.stringify(response.body)).toMatch(pattern);
    };
    await bad([{ labId: 'no-such-lab', opensAt: null, dueAt: null, weight: 1 }], /labs\[0\]\.labId: no lab/);
    await bad([...schedule(), schedule()[0]], /is listed twice/);
    await bad(
      schedule({ [labIds[0]]: { opensAt: '2026-12-10T10:00', dueAt: '2026-12-09T10:00' } }),
      /must be after opensAt/,
    );
    await bad(schedule({ [labIds[0]]: { dueAt: '2026-02-30T10:00' } }), /not a date-time that exists/);
    await bad(schedule({ [labIds[0]]: { dueAt: 'next friday at 5' } }), /labs\[0\]\.dueAt/);
    await bad(schedule({ [labIds[0]]: { weight: -1 } }), /weight/);
    const zone = await teacher
      .put(`/api/courses/${courseId}/time-zone`)
      .send({ timeZone: 'Beijing' })
      .expect(400);
    expect(zone.body.message).toMatch(/not an IANA time zone/);
    await teacher
      .put(`/api/courses/${courseId}/labs/${labIds[0]}/extensions/${student1Id}`)
      .send({ dueAt: 'tomorrow' })
      .expect(400);
    const teacherId = (await teacher.get('/api/auth/me').expect(200)).body.id as string;
    await teacher
      .put(`/api/courses/${courseId}/labs/${labIds[0]}/extensions/${teacherId}`)
      .send({ dueAt: '2099-01-01T00:00' })
      .expect(404);

    await student1.get(`/api/courses/${courseId}/schedule`).expect(403);
    await student1.put(`/api/courses/${courseId}/schedule`).send({ labs: schedule() }).expect(403);
    await student1.get(`/api/courses/${courseId}/overview`).expect(403);
    await student1.get(`/api/courses/${courseId}/overview.csv`).expect(403);
    await student1.put(`/api/courses/${courseId}/time-zone`).send({ timeZone: 'UTC' }).expect(403);
    await student1
      .put(`/api/courses/${courseId}/labs/${labIds[0]}/extensions/${student1Id}`)
      .send({ dueAt: '2099-01-01T00:00' })
      .expect(403);
    const outsider = request.agent(api.server);
    await outsider
      .post('/api/auth/register')
      .send({ email: 'outside@example.edu', password: 'student-pass', displayName: 'Outside' })
      .expect(201);
    await outsider.get(`/api/courses/${courseId}/schedule`).expect(404);
    await outsider.get(`/api/courses/${courseId}/overview`).expect(404);
  });
});
