import { Anchor, Container, List, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n';
import { EmptyState, ErrorState, Loading } from '../layout/States';
import { api } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { useTitle } from '../lib/use-title';
import { LabLibrary } from './LabLibrary';

/** /authoring (pick a course you teach) and /courses/:courseId/authoring (its labs to edit). */
export function AuthoringPage({ courseId }: { courseId?: string }) {
  const { t } = useI18n();
  useTitle(t('author.title'));
  return (
    <main id="main" className="page">
      <Container size="lg" py="md">
        <Stack gap="md">
          <Title order={1} size="h2">
            {t('author.title')}
          </Title>
          {courseId ? <LabLibrary courseId={courseId} /> : <CoursePicker />}
        </Stack>
      </Container>
    </main>
  );
}

function CoursePicker() {
  const { t } = useI18n();
  const [courses, reload] = useAsync(() => api.courses(), []);
  const taught = courses.status === 'ready' ? courses.data.filter((course) => course.role !== 'student') : [];
  // One course taught: straight to it.
  useEffect(() => {
    if (courses.status === 'ready' && taught.length === 1)
      navigate({ name: 'authoring', courseId: taught[0].id }, { replace: true });
  }, [courses.status, taught.length]);
  if (courses.status === 'loading') return <Loading />;
  if (courses.status === 'error') return <ErrorState error={courses.error} onRetry={() => void reload()} />;
  if (taught.length === 0) return <EmptyState>{t('author.noCourses')}</EmptyState>;
  return (
    <Stack gap="xs">
      <Text>{t('author.pickCourse')}</Text>
      <List>
        {taught.map((course) => (
          <List.Item key={course.id}>
            <Anchor component={Link} to={{ name: 'authoring', courseId: course.id }}>
              {course.title}
            </Anchor>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
