import { Injectable, NotFoundException } from '@nestjs/common';
import type { Lab } from '../labs';
import { LabRepository } from '../repositories/lab.repository';
import type { LabView } from '../shared/http-api';
import type { AuthUser } from './auth.service';
import { CourseService } from './course.service';
import { LabCatalogService } from './lab-catalog.service';

/** Labs as students and instructors read them; reference solutions go to instructors only. */
@Injectable()
export class LabService {
  constructor(
    private readonly catalog: LabCatalogService,
    private readonly labs: LabRepository,
    private readonly courses: CourseService,
  ) {}

  async listForCourse(user: AuthUser, courseId: string): Promise<LabView[]> {
    const { role } = await this.courses.access(user, courseId);
    const rows = await this.labs.listForCourse(courseId);
    return rows.flatMap((row) => {
      const lab = this.catalog.get(row.id);
      return lab ? [this.view(lab, role !== 'student')] : [];
    });
  }

  async get(user: AuthUser, courseId: string, labId: string): Promise<LabView> {
    const { role } = await this.courses.access(user, courseId);
    const lab = this.catalog.get(labId);
    if (!lab || !(await this.labs.isInCourse(courseId, labId)))
      throw new NotFoundException('Lab not found in this course.');
    return this.view(lab, role !== 'student');
  }

  private view(lab: Lab, withSolutions: boolean): LabView {
    return {
      id: lab.id,
      title: lab.title,
      description: lab.description,
      estimatedMinutes: lab.estimatedMinutes,
      totalPoints: lab.steps.reduce((sum, step) => sum + step.points, 0),
      steps: lab.steps.map((step) => ({
        id: step.id,
        title: step.title,
        instructions: step.instructions,
        points: step.points,
        hints: step.hints,
        solution: withSolutions ? step.solution : undefined,
      })),
    };
  }
}
