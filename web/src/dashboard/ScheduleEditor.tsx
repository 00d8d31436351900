import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormEvent, useEffect, useState } from 'react';
import type { Course } from '@shared/http-api';
import type { CourseSchedule } from '@shared/schedule-api';
import { useI18n } from '../i18n/i18n';
import { ErrorState, Loading } from '../layout/States';
import { api, errorMessage } from '../lib/api';
import { useAsync } from '../lib/use-async';
import { moveRow, ScheduleRow, scheduleRows, toScheduleInput } from './schedule-rows';

type Message = { ok: boolean; text: string } | undefined;

function Feedback({ message }: { message: Message }) {
  if (!message) return null;
  return (
    <Alert color={message.ok ? 'teal' : 'red'} p="xs" role={message.ok ? 'status' : 'alert'}>
      <Text size="sm">{message.text}</Text>
    </Alert>
  );
}

/**
 * The instructor's schedule editor: which labs the course offers, in which order, when each opens
 * and is due (wall-clock times of the course's time zone, as the API takes them), and its weight;
 * below it, due-time extensions for single students.
 */
export function ScheduleEditor({
  course,
  onCourseChanged,
}: {
  course: Course;
  onCourseChanged(course: Course): void;
}) {
  const [schedule, reload, setSchedule] = useAsync(() => api.schedule(course.id), [course.id]);
  if (!schedule.data)
    return schedule.status === 'error' ? (
      <ErrorState error={schedule.error} onRetry={() => void reload()} />
    ) : (
      <Loading />
    );
  return (
    <Stack gap="md">
      <TimeZoneCard
        course={course}
        current={schedule.data.timeZone}
        onChanged={(changed) => {
          onCourseChanged(changed);
          void reload();
        }}
      />
      <ScheduleTable
        key={schedule.data.timeZone}
        course={course}
        schedule={schedule.data}
        onSaved={setSchedule}
      />
      <Extensions course={course} schedule={schedule.data} onChanged={() => void reload()} />
    </Stack>
  );
}

function TimeZoneCard({
  course,
  current,
  onChanged,
}: {
  course: Course;
  current: string;
  onChanged(course: Course): void;
}) {
  const { t } = useI18n();
  const [zone, setZone] = useState(current);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const changed = await api.setTimeZone(course.id, zone.trim());
      setMessage({ ok: true, text: t('sched.zoneSaved', { zone: changed.timeZone }) });
      onChanged(changed);
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('sched.timeZone')}
          value={zone}
          onChange={(event) => setZone(event.currentTarget.value)}
          w={260}
          data-testid="time-zone"
        />
        <Button type="submit" variant="light" loading={busy} disabled={!zone.trim() || zone === current}>
          {t('sched.saveZone')}
        </Button>
      </Group>
      <Feedback message={message} />
    </form>
  );
}

function ScheduleTable({
  course,
  schedule,
  onSaved,
}: {
  course: Course;
  schedule: CourseSchedule;
  onSaved(schedule: CourseSchedule): void;
}) {
  const { t, pick } = useI18n();
  const [rows, setRows] = useState<ScheduleRow[]>(() => scheduleRows(schedule));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>();
  useEffect(() => setRows(scheduleRows(schedule)), [schedule]);

  const inSchedule = new Set(rows.map((row) => row.labId));
  const addable = [
    ...schedule.labs
      .filter((lab) => !inSchedule.has(lab.labId))
      .map((lab) => ({ labId: lab.labId, title: lab.title })),
    ...schedule.otherLabs.filter((lab) => !inSchedule.has(lab.labId)),
  ];
  const update = (index: number, change: Partial<ScheduleRow>) =>
    setRows(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));

  const save = async () => {
    setBusy(true);
    try {
      const saved = await api.saveSchedule(course.id, toScheduleInput(rows));
      onSaved(saved);
      setMessage({ ok: true, text: t('sched.saved') });
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="schedule-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="schedule-title">
          {t('sched.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('sched.help', { zone: schedule.timeZone })}
        </Text>
        <Table.ScrollContainer minWidth={760}>
          <Table withTableBorder data-testid="schedule-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('sched.order')}</Table.Th>
                <Table.Th scope="col">{t('sched.lab')}</Table.Th>
                <Table.Th scope="col">{t('sched.opens')}</Table.Th>
                <Table.Th scope="col">{t('sched.due')}</Table.Th>
                <Table.Th scope="col">{t('sched.weight')}</Table.Th>
                <Table.Th scope="col">
                  <span className="visually-hidden">{t('sched.remove')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, index) => (
                <Table.Tr key={row.labId} data-testid={`schedule-row-${row.labId}`}>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Text size="sm" w={20}>
                        {index + 1}
                      </Text>
                      <ActionIcon
                        variant="subtle"
                        aria-label={`${t('sched.up')}: ${pick(row.title)}`}
                        disabled={index === 0}
                        onClick={() => setRows(moveRow(rows, index, -1))}
                      >
                        ↑
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        aria-label={`${t('sched.down')}: ${pick(row.title)}`}
                        disabled={index === rows.length - 1}
                        onClick={() => setRows(moveRow(rows, index, 1))}
                      >
                        ↓
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                  <Table.Th scope="row">
                    <Text size="sm">{pick(row.title)}</Text>
                  </Table.Th>
                  <Table.Td>
                    <TextInput
                      type="datetime-local"
                      size="xs"
                      aria-label={`${t('sched.opens')}: ${pick(row.title)}`}
                      value={row.opensAt}
                      onChange={(event) => update(index, { opensAt: event.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      type="datetime-local"
                      size="xs"
                      aria-label={`${t('sched.due')}: ${pick(row.title)}`}
                      value={row.dueAt}
                      onChange={(event) => update(index, { dueAt: event.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      w={80}
                      min={0}
                      max={100}
                      decimalScale={3}
                      aria-label={`${t('sched.weight')}: ${pick(row.title)}`}
                      value={row.weight}
                      onChange={(value) => update(index, { weight: typeof value === 'number' ? value : 0 })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`${t('sched.remove')}: ${pick(row.title)}`}
                      onClick={() => setRows(rows.filter((_, at) => at !== index))}
                    >
                      {t('sched.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group justify="space-between">
          <Select
            placeholder={t('sched.add')}
            aria-label={t('sched.add')}
            data={addable.map((lab) => ({ value: lab.labId, label: pick(lab.title) }))}
            value={null}
            onChange={(labId) => {
              const lab = addable.find((candidate) => candidate.labId === labId);
              if (lab)
                setRows([...rows, { labId: lab.labId, title: lab.title, opensAt: '', dueAt: '', weight: 1 }]);
            }}
            disabled={addable.length === 0}
            w={320}
          />
          <Button onClick={() => void save()} loading={busy} data-testid="save-schedule">
            {t('sched.save')}
          </Button>
        </Group>
        <Feedback message={message} />
      </Stack>
    </Card>
  );
}

function Extensions({
  course,
  schedule,
  onChanged,
}: {
  course: Course;
  schedule: CourseSchedule;
  onChanged(): void;
}) {
  const { t, pick } = useI18n();
  const [students] = useAsync(() => api.students(course.id), [course.id]);
  const [userId, setUserId] = useState<string | null>(null);
  const [labId, setLabId] = useState<string | null>(null);
  const [dueAt, setDueAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>();
  const titleOf = (id: string) => pick(schedule.labs.find((lab) => lab.labId === id)?.title) || id;

  const grant = async (event: FormEvent) => {
    event.preventDefault();
    if (!userId || !labId || !dueAt) return;
    setBusy(true);
    try {
      await api.setExtension(course.id, labId, userId, dueAt);
      setMessage({ ok: true, text: t('sched.extGranted') });
      onChanged();
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (lab: string, user: string) => {
    try {
      await api.removeExtension(course.id, lab, user);
      onChanged();
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    }
  };

  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="extensions-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="extensions-title">
          {t('sched.extensions')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('sched.extensionHelp')} ({schedule.timeZone})
        </Text>
        {schedule.extensions.length === 0 ? (
          <Text size="sm">{t('sched.noExtensions')}</Text>
        ) : (
          <Table withTableBorder data-testid="extensions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('sched.extStudent')}</Table.Th>
                <Table.Th scope="col">{t('sched.lab')}</Table.Th>
                <Table.Th scope="col">{t('sched.extDue')}</Table.Th>
                <Table.Th scope="col">
                  <span className="visually-hidden">{t('sched.extRemove')}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {schedule.extensions.map((extension) => (
                <Table.Tr key={`${extension.labId}/${extension.userId}`}>
                  <Table.Td>{extension.displayName}</Table.Td>
                  <Table.Td>{titleOf(extension.labId)}</Table.Td>
                  <Table.Td>{extension.dueAtLocal.replace('T', ' ')}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => void remove(extension.labId, extension.userId)}
                    >
                      {t('sched.extRemove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <form onSubmit={grant}>
          <Group align="flex-end" gap="sm">
            <Select
              label={t('sched.extStudent')}
              data={(students.data ?? []).map((student) => ({
                value: student.id,
                label: `${student.displayName} <${student.email}>`,
              }))}
              value={userId}
              onChange={setUserId}
              searchable
              w={280}
            />
            <Select
              label={t('sched.lab')}
              data={schedule.labs.map((lab) => ({ value: lab.labId, label: pick(lab.title) }))}
              value={labId}
              onChange={setLabId}
              w={260}
            />
            <TextInput
              type="datetime-local"
              label={t('sched.extDue')}
              value={dueAt}
              onChange={(event) => setDueAt(event.currentTarget.value)}
            />
            <Button type="submit" loading={busy} disabled={!userId || !labId || !dueAt}>
              {t('sched.extGrant')}
            </Button>
          </Group>
        </form>
        <Feedback message={message} />
      </Stack>
    </Card>
  );
}
