import { Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../../services/auth.service';
import { CourseService } from '../../services/course.service';
import { DraftRepository, LabDraft } from '../repositories/draft.repository';

/**
 * Who may author what. An author of a course is one of its instructors, or an admin. A draft belongs
 * to its course: anyone else gets 404 for it, so draft ids cannot be probed.
 */
@Injectable()
export class AuthoringAccessService {
  constructor(
    private readonly courses: CourseService,
    private readonly drafts: DraftRepository,
  ) {}

  /** 404 for a course the user is not in, 403 for its students. */
  async requireAuthor(user: AuthUser, courseId: string): Promise<void> {
    await this.courses.requireInstructor(user, courseId);
  }

  async draftFor(user: AuthUser, draftId: string): Promise<LabDraft> {
    const draft = UUID.test(draftId) ? await this.drafts.findById(draftId) : null;
    if (!draft) throw new NotFoundException('Draft not found.');
    try {
      await this.courses.requireInstructor(user, draft.courseId);
    } catch {
      throw new NotFoundException('Draft not found.');
    }
    return draft;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
