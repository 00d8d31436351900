import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { AuthController } from '../controllers/auth.controller';
import { CourseController } from '../controllers/course.controller';
import { GradebookController } from '../controllers/gradebook.controller';
import { CommandRecordsController } from '../controllers/command-records.controller';
import { CommandRecordsExportService } from '../services/command-records-export.service';
import { HealthController } from '../controllers/health.controller';
import { LabController } from '../controllers/lab.controller';
import { LabSessionController } from '../controllers/lab-session.controller';
import { TerminalGateway } from '../gateways/terminal.gateway';
import { UserController } from '../controllers/user.controller';
import { AuthGuard } from '../middleware/auth.guard';
import { AuthService } from '../services/auth.service';
import { CourseService } from '../services/course.service';
import { GradebookService } from '../services/gradebook.service';
import { HealthService } from '../services/health.service';
import { LabService } from '../services/lab.service';
import { LabSessionService } from '../services/lab-session.service';
import { SessionGradingService } from '../services/session-grading.service';
import { TerminalService } from '../commands/terminal.service';
import { LoginThrottleService } from '../services/login-throttle.service';
import { SeedService } from '../services/seed.service';
import { CoreModule } from './core.module';
import { HomeController } from '../controllers/home.controller';
import { SchemaController } from '../controllers/schema.controller';
import { HomeService } from '../services/home.service';
import { authoringApi } from '../authoring/authoring.module';
import { ScheduleController } from '../controllers/schedule.controller';
import { ScheduleService } from '../services/schedule.service';
import { CourseOverviewService } from '../services/course-overview.service';
import { kubeApiApi } from '../kube-api/kube-api.module';
import { PlatformLoadController } from '../controllers/platform-load.controller';
import { AdmissionService } from '../placement/admission.service';
import { PlatformLoadService } from '../placement/platform-load.service';
import { CommandRefsRepository } from '../repositories/command-refs.repository';

/** The HTTP API and websocket gateway. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config), CoreModule],
      controllers: [
        AuthController,
        UserController,
        CourseController,
        LabController,
        LabSessionController,
        GradebookController,
        CommandRecordsController,
        HealthController,
        HomeController,
        SchemaController,
        ...authoringApi.controllers,
        ScheduleController,
        ...kubeApiApi.controllers,
        PlatformLoadController,
      ],
      providers: [
        AuthService,
        CourseService,
        HealthService,
        LoginThrottleService,
        SeedService,
        LabService,
        LabSessionService,
        SessionGradingService,
        TerminalService,
        TerminalGateway,
        GradebookService,
        CommandRecordsExportService,
        HomeService,
        ScheduleService,
        CourseOverviewService,
        ...authoringApi.providers,
        ...kubeApiApi.providers,
        // Overload (issue 21): admission by worker load, idempotent retries, the dashboard's load.
        AdmissionService,
        CommandRefsRepository,
        PlatformLoadService,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
