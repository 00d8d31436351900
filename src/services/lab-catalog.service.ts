import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Lab, loadLabs } from '../labs';
import { LabRepository } from '../repositories/lab.repository';
import { AuthoredLabCatalog } from '../authoring/authored-lab-catalog';
import { CourseScheduleRepository } from '../repositories/course-schedule.repository';

/**
 * The labs instructors author as files in labs/. Loaded (and strictly validated) once at start-up,
 * so a broken lab file stops the process with the file, step and field named. A lab seen for the
 * first time is added, undated, to the end of every course's schedule; after that each course's
 * instructors decide (a lab they removed stays removed across restarts).
 */
@Injectable()
export class LabCatalogService implements OnModuleInit {
  private readonly logger = new Logger('LabCatalog');
  private labs = new Map<string, Lab>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: LabRepository,
    private readonly schedules: CourseScheduleRepository,
    // Labs authored in the browser (newest published version); absent in specs that only use LABS_DIR.
    @Optional() private readonly authored?: AuthoredLabCatalog,
  ) {}

  async onModuleInit(): Promise<void> {
    const loaded = loadLabs(path.resolve(this.config.labsDir));
    this.labs = new Map(loaded.map((lab) => [lab.id, lab]));
    for (const lab of loaded) {
      const definition = JSON.parse(JSON.stringify(lab)) as unknown;
      const version = createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16);
      const isNew = !(await this.repository.findById(lab.id));
      await this.repository.upsert({ id: lab.id, title: lab.title.en, version, definition });
      if (isNew)
        for (const courseId of await this.schedules.courseIds())
          await this.schedules.append(courseId, [lab.id]);
    }
    this.logger.log({ msg: 'labs loaded', labs: loaded.map((lab) => lab.id) });
  }

  get(labId: string): Lab | undefined {
    return this.labs.get(labId) ?? this.authored?.latest(labId);
  }

  /** Only the labs of LABS_DIR (read-only for authors). */
  builtIn(labId: string): Lab | undefined {
    return this.labs.get(labId);
  }

  /** Labs in their files' order: position, then id; labs without a position last. */
  all(): Lab[] {
    const position = (lab: Lab) => lab.position ?? Number.MAX_SAFE_INTEGER;
    return [...this.labs.values()].sort((a, b) => position(a) - position(b) || a.id.localeCompare(b.id));
  }

  /** New courses offer every lab, undated, in the labs' own order (instructors then edit the schedule). */
  async offerAllLabs(courseId: string): Promise<void> {
    await this.schedules.append(
      courseId,
      this.all().map((lab) => lab.id),
    );
  }
}
