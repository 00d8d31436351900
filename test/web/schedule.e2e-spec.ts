import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LabView } from '../../src/shared/http-api';
import { api, login, startPlatform, TestPlatform } from '../support/platform';
import { launchChromium } from './support/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/lib/setup.cjs') as { ensureWebBuild(): void; ROOT: string };

jest.setTimeout(300_000);

const PASSWORD = 'kubelab-demo';
const SCREEN = { width: 1600, height: 1000 };
const ARTIFACTS = path.join(setup.ROOT, 'test-artifacts');

let platform: TestPlatform;
let browser: Browser;
let teacherContext: BrowserContext;
let studentContext: BrowserContext;
let dashboard: Page;
let labs: LabView[];

async function signIn(page: Page, url: string, email: string, after: RegExp): Promise<void> {
  await page.goto(url);
  await page.waitForURL(/\/login$/);
  await page.locator('label', { hasText: 'English' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(after);
}

beforeAll(async () => {
  setup.ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
  });
  const cookie = await login(platform.baseUrl, 'teacher@kubelab.local');
  labs = (await api<LabView[]>(platform.baseUrl, cookie, 'GET', `/courses/${platform.courseId}/labs`)).body;
  browser = await launchChromium();
  teacherContext = await browser.newContext({ viewport: SCREEN, locale: 'en-GB', acceptDownloads: true });
  studentContext = await browser.newContext({ viewport: SCREEN, locale: 'en-GB' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('course schedule in a browser', () => {
  it('lets the instructor set due and opening times in the schedule editor', async () => {
    const [first, second, third] = labs;
    dashboard = await teacherContext.newPage();
    await signIn(dashboard, `${platform.baseUrl}/teach`, 'teacher@kubelab.local', /\/teach\/[0-9a-f-]+$/);
    await dashboard.getByRole('tab', { name: 'Schedule' }).click();
    const table = dashboard.getByTestId('schedule-table');
    await table.waitFor();
    await dashboard.getByLabel(`Due: ${first.title.en}`).fill('2099-01-02T23:59');
    await dashboard.getByLabel(`Weight: ${first.title.en}`).fill('3');
    await dashboard.getByLabel(`Due: ${second.title.en}`).fill('2020-01-02T23:59');
    await dashboard.getByLabel(`Opens: ${third.title.en}`).fill('2099-03-01T08:00');
    await dashboard.getByTestId('save-schedule').click();
    await dashboard.getByText('Schedule saved.').waitFor();
    await dashboard.screenshot({ path: path.join(ARTIFACTS, 'schedule-editor.png'), fullPage: true });

    // The server stored the local times of Asia/Shanghai.
    const cookie = await login(platform.baseUrl, 'teacher@kubelab.local');
    const schedule = (
      await api<{ labs: { labId: string; dueAt: string | null; weight: number }[] }>(
        platform.baseUrl,
        cookie,
        'GET',
        `/courses/${platform.courseId}/schedule`,
      )
    ).body;
    expect(schedule.labs.find((lab) => lab.labId === first.id)).toMatchObject({
      dueAt: '2099-01-02T15:59:00.000Z',
      weight: 3,
    });
  });

  it('shows students their due times, marks a past one, and hides a lab before it opens', async () => {
    const [first, second, third] = labs;
    const home = await studentContext.newPage();
    await signIn(home, `${platform.baseUrl}/`, 'student1@kubelab.local', /\/$/);
    const course = home.getByRole('region', { name: 'DevOps 导论' });
    await course.getByRole('link', { name: `Open lab: ${first.title.en}` }).waitFor();
    const cards = course.locator('.lab-card');
    const card = (title: string) => cards.filter({ hasText: title });
    await card(first.title.en).getByText('Due 2099-01-02 23:59 (Asia/Shanghai)').waitFor();
    await card(second.title.en).getByTestId('lab-past-due').waitFor();
    expect(await card(first.title.en).getByTestId('lab-past-due').count()).toBe(0);
    expect(await course.getByRole('link', { name: `Open lab: ${third.title.en}` }).count()).toBe(0);
    await home.screenshot({ path: path.join(ARTIFACTS, 'schedule-student.png'), fullPage: true });
  });

  it('shows the course overview with every student and its CSV', async () => {
    await dashboard.getByRole('tab', { name: 'Course overview' }).click();
    const overview = dashboard.getByTestId('course-overview');
    await overview.waitFor();
    expect(await overview.locator('tbody tr').count()).toBe(5);
    await dashboard
      .getByTestId('overview-student1@kubelab.local')
      .getByTestId('weighted-total')
      .getByText('0.0%')
      .waitFor();
    const download = dashboard.waitForEvent('download');
    await dashboard.getByTestId('overview-csv').click();
    expect((await download).suggestedFilename()).toBe('course-overview.csv');
    await dashboard.screenshot({ path: path.join(ARTIFACTS, 'course-overview.png'), fullPage: true });
  });
});
