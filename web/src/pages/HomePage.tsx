import {
  Alert,
  Badge,
  Button,
  Card,
  Container,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormEvent, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { EmptyState, ErrorState, Loading } from '../layout/States';
import { api, ApiError, errorMessage } from '../lib/api';
import type { Course, LabScheduleView } from '@shared/http-api';
import { Link } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { useNow } from '../lib/use-now';
import { useTitle } from '../lib/use-title';

/** The lab's due time on the course's clock, and whether it has passed (work now is marked late). */
function DueTime({ schedule }: { schedule: LabScheduleView }) {
  const { t } = useI18n();
  const now = useNow(60_000);
  if (!schedule.dueAt || !schedule.dueAtLocal) return null;
  const params = { time: schedule.dueAtLocal.replace('T', ' '), zone: schedule.timeZone };
  const past = Date.parse(schedule.dueAt) < now;
  return (
    <Stack gap={2}>
      <Text size="sm" c={past ? 'orange.8' : 'dimmed'} data-testid="lab-due">
        {t(schedule.extended ? 'home.dueExtended' : 'home.due', params)}
      </Text>
      {past && (
        <Badge color="orange" variant="light" data-testid="lab-past-due">
          {t('home.pastDue')}
        </Badge>
      )}
    </Stack>
  );
}

function CourseLabs({ course }: { course: Course }) {
  const { t, pick } = useI18n();
  const [labs, reload] = useAsync(() => api.labs(course.id), [course.id]);
  if (labs.status === 'loading') return <Loading />;
  if (labs.status === 'error') return <ErrorState error={labs.error} onRetry={() => void reload()} />;
  if (labs.data.length === 0) return <EmptyState>{t('home.noLabs')}</EmptyState>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      {labs.data.map((lab) => (
        <Card key={lab.id} withBorder padding="md" radius="md" className="lab-card">
          <Stack gap={6} h="100%">
            <Text fw={600}>{pick(lab.title)}</Text>
            <Group gap="xs">
              <Badge variant="light">{t('common.minutes', { minutes: lab.estimatedMinutes })}</Badge>
              <Badge variant="light" color="grape">
                {lab.steps.length} {t('lab.steps')}
              </Badge>
              <Badge variant="light" color="teal">
                {lab.totalPoints}
              </Badge>
            </Group>
            {lab.schedule && <DueTime schedule={lab.schedule} />}
            <Button
              component={Link}
              to={{ name: 'lab', courseId: course.id, labId: lab.id }}
              mt="auto"
              aria-label={`${t('home.openLab')}: ${pick(lab.title)}`}
            >
              {t('home.openLab')}
            </Button>
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function JoinCourse({ onJoined }: { onJoined: (course: Course) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim()) return;
    setBusy(true);
    try {
      const course = await api.joinCourse(code.trim());
      setMessage({ ok: true, text: t('home.joined', { title: course.title }) });
      setCode('');
      onJoined(course);
    } catch (error) {
      setMessage({
        ok: false,
        text: error instanceof ApiError && error.status === 404 ? t('auth.badCode') : errorMessage(error),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('home.joinTitle')}
          placeholder="ABCD2345"
          value={code}
          onChange={(event) => setCode(event.currentTarget.value.toUpperCase())}
          autoComplete="off"
        />
        <Button type="submit" loading={busy} variant="light">
          {t('home.join')}
        </Button>
      </Group>
      {message && (
        <Alert color={message.ok ? 'teal' : 'red'} mt="sm" role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Alert>
      )}
    </form>
  );
}

export function HomePage() {
  const { t } = useI18n();
  const [courses, reload] = useAsync(() => api.courses(), []);
  useTitle(t('home.title'));
  const roleLabel = (role: Course['role']) =>
    role === 'student'
      ? t('home.roleStudent')
      : role === 'instructor'
        ? t('home.roleInstructor')
        : t('home.roleAdmin');

  return (
    <Container size="lg" py="lg">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-end">
          <Title order={1} size="h2">
            {t('home.title')}
          </Title>
          <JoinCourse onJoined={() => void reload()} />
        </Group>
        {courses.status === 'loading' && !courses.data && <Loading />}
        {courses.status === 'error' && <ErrorState error={courses.error} onRetry={() => void reload()} />}
        {courses.data && courses.data.length === 0 && <EmptyState>{t('home.empty')}</EmptyState>}
        {courses.data?.map((course) => (
          <Card
            key={course.id}
            withBorder
            radius="md"
            padding="lg"
            component="section"
            aria-label={course.title}
          >
            <Stack gap="md">
              <Group justify="space-between">
                <Group gap="sm">
                  <Title order={2} size="h3">
                    {course.title}
                  </Title>
                  <Badge variant="outline">{roleLabel(course.role)}</Badge>
                </Group>
                {course.role !== 'student' && (
                  <Button component={Link} to={{ name: 'teach', courseId: course.id }} variant="filled">
                    {t('home.dashboard')}
                  </Button>
                )}
              </Group>
              {course.role === 'student' && <CourseLabs course={course} />}
            </Stack>
          </Card>
        ))}
      </Stack>
    </Container>
  );
}
