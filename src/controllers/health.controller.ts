import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../middleware/auth.guard';
import { HealthService } from '../services/health.service';
import type { HealthReport } from '../shared/http-api';
import { ApiAnswer } from './api-docs';
import { healthDegradedExample, healthExample } from './api-examples';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * Each part's status, and the parts that are down. 503 when this API process cannot serve (its
   * database, Redis or cluster driver is down); no live worker is reported (commands wait) but
   * answers 200, since taking the API out of a load balancer would not bring a worker back.
   */
  @Public()
  @ApiOperation({ summary: "Health of the platform's parts: database, Redis, workers, cluster driver" })
  @ApiAnswer(200, healthExample, {
    description: 'This process can serve (no live worker is reported in `down`)',
  })
  @ApiResponse({
    status: 503,
    description: 'The database, Redis or the cluster driver is down: `down` names it',
    example: healthDegradedExample,
  })
  @Get()
  async get(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.report();
    response.status(report.down.some((part) => part !== 'workers') ? 503 : 200);
    return report;
  }
}
