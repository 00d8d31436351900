import {
  Alert,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  NavLink,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import type { GradingUpdate } from '@shared/events';
import { useI18n } from '../i18n/i18n';
import { EmptyState, ErrorState, Loading } from '../layout/States';
import { api, errorMessage } from '../lib/api';
import type { Course } from '@shared/http-api';
import { navigate } from '../lib/router';
import { emitWithAck, getSocket } from '../lib/socket';
import { useAsync } from '../lib/use-async';
import { useNow } from '../lib/use-now';
import { useTitle } from '../lib/use-title';
import { ClassMatrix } from './ClassMatrix';
import { CompletionChart } from './CompletionChart';
import { CourseOverview } from './CourseOverview';
import { PlatformLoadCard } from './PlatformLoadCard';
import { ScheduleEditor } from './ScheduleEditor';
import { applyGradingUpdate, completionSeries } from './gradebook-live';

const GRADEBOOK_REFRESH_MS = 30_000;

export function DashboardPage({ courseId, labId }: { courseId?: string; labId?: string }) {
  const { t } = useI18n();
  const [courses, reloadCourses, setCourses] = useAsync(() => api.courses(), []);
  const teaching = (courses.data ?? []).filter((course) => course.role !== 'student');
  const selected = teaching.find((course) => course.id === courseId);
  useTitle(selected ? `${selected.title} · ${t('teach.title')}` : t('teach.title'));

  // Open the first course when none is chosen.
  useEffect(() => {
    if (!courseId && teaching.length > 0)
      navigate({ name: 'teach', courseId: teaching[0].id }, { replace: true });
  }, [courseId, teaching]);

  const replaceCourse = (course: Course) =>
    setCourses(
      (courses.data ?? []).map((existing) =>
        existing.id === course.id ? { ...existing, ...course } : existing,
      ),
    );

  return (
    <div className="dashboard">
      <nav className="dashboard-nav" aria-label={t('teach.courses')}>
        <Stack gap="sm" p="md">
          <Title order={2} size="h5">
            {t('teach.courses')}
          </Title>
          <CreateCourse
            onCreated={(course) => {
              setCourses([...(courses.data ?? []), course]);
              navigate({ name: 'teach', courseId: course.id });
            }}
          />
          {courses.status === 'error' && (
            <ErrorState error={courses.error} onRetry={() => void reloadCourses()} />
          )}
          {courses.data && teaching.length === 0 && <EmptyState>{t('teach.noCourses')}</EmptyState>}
          <div>
            {teaching.map((course) => (
              <NavLink
                key={course.id}
                href={`/teach/${course.id}`}
                label={course.title}
                description={course.joinCode}
                active={course.id === courseId}
                onClick={(event) => {
                  event.preventDefault();
                  navigate({ name: 'teach', courseId: course.id });
                }}
              />
            ))}
          </div>
          <PlatformLoadCard />
        </Stack>
      </nav>
      <main id="main" className="dashboard-main">
        <Stack gap="md" p="md">
          <Title order={1} size="h3">
            {t('teach.title')}
          </Title>
          {courses.status === 'loading' && !courses.data && <Loading />}
          {selected && (
            <CourseView key={selected.id} course={selected} labId={labId} onCourseChanged={replaceCourse} />
          )}
        </Stack>
      </main>
    </div>
  );
}

function CreateCourse({ onCreated }: { onCreated(course: Course): void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    setBusy(true);
    try {
      const course = await api.createCourse(title.trim());
      setMessage({
        ok: true,
        text: t('teach.created', { title: course.title, code: course.joinCode ?? '' }),
      });
      setTitle('');
      onCreated(course);
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <Stack gap={6}>
        <TextInput
          label={t('teach.newCourse')}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          size="sm"
        />
        <Button type="submit" size="xs" loading={busy} disabled={!title.trim()}>
          {t('teach.create')}
        </Button>
        {message && (
          <Alert color={message.ok ? 'teal' : 'red'} p="xs" role={message.ok ? 'status' : 'alert'}>
            <Text size="xs">{message.text}</Text>
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function JoinCodeCard({ course, onRotated }: { course: Course; onRotated(course: Course): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const rotate = async () => {
    setBusy(true);
    try {
      const rotated = await api.rotateJoinCode(course.id);
      onRotated(rotated);
      setMessage({ ok: true, text: t('teach.rotated', { code: rotated.joinCode ?? '' }) });
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="sm" radius="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <Text size="sm" c="dimmed">
            {t('teach.joinCode')}
          </Text>
          <Text className="join-code" data-testid="join-code">
            {course.joinCode}
          </Text>
          <CopyButton value={course.joinCode ?? ''}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? t('teach.copied') : t('teach.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Button size="xs" variant="light" color="orange" onClick={() => void rotate()} loading={busy}>
          {t('teach.rotate')}
        </Button>
      </Group>
      {message && (
        <Text size="xs" mt={6} c={message.ok ? 'teal.8' : 'red.8'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Text>
      )}
    </Card>
  );
}

function CourseView({
  course,
  labId,
  onCourseChanged,
}: {
  course: Course;
  labId?: string;
  onCourseChanged(course: Course): void;
}) {
  const { t, pick } = useI18n();
  const [labs, reloadLabs] = useAsync(() => api.labs(course.id), [course.id]);
  const [tab, setTab] = useState<string | null>('progress');
  const labList = labs.data ?? [];
  const activeLab = labList.find((lab) => lab.id === labId) ?? labList[0];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">
          {course.title}
        </Title>
        {tab === 'progress' && labList.length > 0 && (
          <Select
            label={t('teach.lab')}
            data={labList.map((lab) => ({ value: lab.id, label: pick(lab.title) }))}
            value={activeLab?.id ?? null}
            onChange={(value) =>
              value && navigate({ name: 'teach', courseId: course.id, labId: value }, { replace: true })
            }
            allowDeselect={false}
            w={360}
          />
        )}
      </Group>
      <JoinCodeCard course={course} onRotated={onCourseChanged} />
      <Tabs
        value={tab}
        onChange={(next) => {
          setTab(next);
          // The schedule may have changed: the lab list follows it.
          if (next === 'progress') void reloadLabs();
        }}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="progress">{t('sched.tabProgress')}</Tabs.Tab>
          <Tabs.Tab value="overview">{t('sched.tabOverview')}</Tabs.Tab>
          <Tabs.Tab value="schedule">{t('sched.tabSchedule')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="progress" pt="md">
          {labs.status === 'loading' && <Loading />}
          {labs.status === 'error' && <ErrorState error={labs.error} onRetry={() => void reloadLabs()} />}
          {labs.status === 'ready' && labList.length === 0 && <EmptyState>{t('teach.noLabs')}</EmptyState>}
          {activeLab && <LabProgress key={activeLab.id} course={course} labId={activeLab.id} />}
        </Tabs.Panel>
        <Tabs.Panel value="overview" pt="md">
          <CourseOverview course={course} />
        </Tabs.Panel>
        <Tabs.Panel value="schedule" pt="md">
          <ScheduleEditor course={course} onCourseChanged={onCourseChanged} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function LabProgress({ course, labId }: { course: Course; labId: string }) {
  const { t } = useI18n();
  const [book, reload, setBook] = useAsync(() => api.gradebook(course.id, labId), [course.id, labId]);
  const [highlighted, setHighlighted] = useState<Set<string>>(new Set());
  const [watchError, setWatchError] = useState<string>();
  const now = useNow(30_000);
  const current = book.data;

  const onUpdate = useCallback(
    (update: GradingUpdate) => {
      if (update.courseId !== course.id || !current) return;
      const next = applyGradingUpdate(current, update);
      if (!next) return void reload();
      setBook(next);
      setHighlighted(new Set([update.userId]));
    },
    [course.id, current, reload, setBook],
  );

  // Join the course room now and after every reconnect (rooms do not survive a reconnect).
  useEffect(() => {
    const socket = getSocket();
    const watch = () =>
      emitWithAck(socket, 'course.watch', { courseId: course.id }).then(
        (result) => setWatchError(result.ok ? undefined : result.message),
        (error: unknown) => setWatchError(errorMessage(error)),
      );
    const onReconnect = () => {
      void watch();
      void reload();
    };
    socket.on('connect', onReconnect);
    if (socket.connected) void watch();
    return () => {
      socket.off('connect', onReconnect);
    };
  }, [course.id, reload]);

  // Grading updates arrive live; students who joined but ran nothing yet only show up on a reload.
  useEffect(() => {
    const timer = setInterval(() => void reload(), GRADEBOOK_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  useEffect(() => {
    const socket = getSocket();
    socket.on('grading.updated', onUpdate);
    return () => {
      socket.off('grading.updated', onUpdate);
    };
  }, [onUpdate]);

  const series = useMemo(() => (current ? completionSeries(current) : []), [current]);
  if (!current)
    return book.status === 'error' ? (
      <ErrorState error={book.error} onRetry={() => void reload()} />
    ) : (
      <Loading />
    );
  const maxSteps = current.rows.length * current.lab.steps.length;
  const finished = current.rows.filter((row) => row.completedAt).length;

  return (
    <Stack gap="md">
      {watchError && (
        <Alert color="orange" role="alert">
          {watchError}
        </Alert>
      )}
      <Card withBorder radius="md" padding="md" component="section" aria-labelledby="matrix-title">
        <Group justify="space-between" mb="sm">
          <Group gap="sm">
            <Title order={3} size="h5" id="matrix-title">
              {t('teach.matrix')}
            </Title>
            <Badge variant="light" color="teal">
              {t('teach.live')}
            </Badge>
            <Text size="sm" c="dimmed">
              {t('teach.students')}: {current.rows.length} · ✓ {finished}
            </Text>
          </Group>
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              onClick={() => void reload()}
              loading={book.status === 'loading'}
            >
              {t('teach.refresh')}
            </Button>
            <Button
              component="a"
              size="xs"
              href={api.gradebookCsvUrl(course.id, labId)}
              download
              data-testid="csv-download"
            >
              {t('teach.csv')}
            </Button>
          </Group>
        </Group>
        {current.rows.length === 0 ? (
          <EmptyState>{t('teach.noStudents', { code: course.joinCode ?? '' })}</EmptyState>
        ) : (
          <>
            <ClassMatrix book={current} courseId={course.id} highlighted={highlighted} />
            <Group gap="md" mt="xs" className="legend" aria-hidden="true">
              <span>
                <span className="cell cell-passed">✓</span> {t('teach.legendPassed')}
              </span>
              <span>
                <span className="cell cell-failed">✗</span> {t('teach.legendFailed')}
              </span>
              <span>
                <span className="cell cell-pending">·</span> {t('teach.legendPending')}
              </span>
            </Group>
          </>
        )}
      </Card>
      <Card withBorder radius="md" padding="md" component="section" aria-labelledby="chart-title">
        <Title order={3} size="h5" id="chart-title" mb="sm">
          {t('teach.chart')}
        </Title>
        <CompletionChart series={series} maxSteps={maxSteps} now={now} />
      </Card>
    </Stack>
  );
}
