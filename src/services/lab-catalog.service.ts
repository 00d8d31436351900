import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Lab, loadLabs } from '../labs';
import { LabRepository } from '../repositories/lab.repository';

/**
 * The labs instructors author as files in labs/. Loaded (and strictly validated) once at start-up,
 * so a broken lab file stops the process with the file, step and field named; every lab is offered
 * in every course.
 */
@Injectable()
export class LabCatalogService implements OnModuleInit {
  private readonly logger = new Logger('LabCatalog');
  private labs = new Map<string, Lab>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: LabRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const loaded = loadLabs(path.resolve(this.config.labsDir));
    this.labs = new Map(loaded.map((lab) => [lab.id, lab]));
    for (const lab of loaded) {
      const definition = JSON.parse(JSON.stringify(lab)) as unknown;
      const version = createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16);
      await this.repository.upsert({ id: lab.id, title: lab.title.en, version, definition });
      await this.repository.addToAllCourses(lab.id);
    }
    this.logger.log({ msg: 'labs loaded', labs: loaded.map((lab) => lab.id) });
  }

  get(labId: string): Lab | undefined {
    return this.labs.get(labId);
  }

  all(): Lab[] {
    return [...this.labs.values()];
  }

  /** New courses offer every lab. */
  async offerAllLabs(courseId: string): Promise<void> {
    for (const lab of this.labs.values()) await this.repository.addToCourse(courseId, lab.id);
  }
}
