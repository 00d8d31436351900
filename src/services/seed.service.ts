import { Injectable } from '@nestjs/common';
import { CourseRepository } from '../repositories/course.repository';
import { UserRepository } from '../repositories/user.repository';
import { generateJoinCode } from './course.service';
import { LabCatalogService } from './lab-catalog.service';
import { hashPassword } from './password-hasher';

export const DEMO_PASSWORD = 'kubelab-demo';
export const DEMO_INSTRUCTOR = 'teacher@kubelab.local';
export const DEMO_ADMIN = 'admin@kubelab.local';
export const DEMO_STUDENTS = [1, 2, 3, 4, 5].map((n) => `student${n}@kubelab.local`);
export const DEMO_COURSE_TITLE = 'DevOps 导论';

export interface DemoData {
  courseId: string;
  joinCode: string;
}

/** Demo accounts and the demo course. Re-running it is harmless: it updates what exists. */
@Injectable()
export class SeedService {
  constructor(
    private readonly users: UserRepository,
    private readonly courses: CourseRepository,
    private readonly catalog: LabCatalogService,
  ) {}

  async seedDemo(): Promise<DemoData> {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await this.users.upsert({ email: DEMO_ADMIN, displayName: 'Admin', passwordHash, role: 'admin' });
    const teacher = await this.users.upsert({
      email: DEMO_INSTRUCTOR,
      displayName: '王老师 (Teacher)',
      passwordHash,
      role: 'instructor',
    });
    const course =
      (await this.courses.findByTitleAndOwner(DEMO_COURSE_TITLE, teacher.id)) ??
      (await this.courses.create({
        title: DEMO_COURSE_TITLE,
        joinCode: generateJoinCode(),
        ownerId: teacher.id,
      }));
    for (const [index, email] of DEMO_STUDENTS.entries()) {
      const student = await this.users.upsert({
        email,
        displayName: `学生 ${index + 1} (Student ${index + 1})`,
        passwordHash,
        role: 'student',
      });
      await this.courses.enroll(course.id, student.id, 'student');
    }
    await this.catalog.offerAllLabs(course.id);
    return { courseId: course.id, joinCode: course.joinCode };
  }
}
