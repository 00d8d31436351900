/**
 * Lab authoring (issue 19): drafts, proofs, published versions, trials, regrades, bundles. Its parts
 * join the platform's existing modules rather than forming a module of their own, because they use
 * services those modules provide without exporting (CourseService, ClusterLifecycleService, …):
 * - authoringCoreProviders: in CoreModule (both processes) — the repositories, and the catalog of
 *   authored labs that grading and the lab lists read;
 * - authoringApi: in ApiModule — the HTTP controller, the websocket gateway and their services;
 * - authoringJobProviders: in WorkerModule — the handlers of JobName.LabProve and JobName.LabRegrade.
 */
import { AuthoredLabCatalog } from './authored-lab-catalog';
import { AuthoringController } from './authoring.controller';
import { AuthoringGateway } from './authoring.gateway';
import { DraftRepository } from './repositories/draft.repository';
import { LabVersionRepository } from './repositories/lab-version.repository';
import { ProofRepository } from './repositories/proof.repository';
import { RegradeRepository } from './repositories/regrade.repository';
import { AuthoringAccessService } from './services/authoring-access.service';
import { DraftService } from './services/draft.service';
import { ProofJobService } from './services/proof-job.service';
import { ProofService } from './services/proof.service';
import { PublishService } from './services/publish.service';
import { RegradeJobService } from './services/regrade-job.service';
import { RegradeService } from './services/regrade.service';
import { TrialService } from './services/trial.service';

export const authoringCoreProviders = [
  DraftRepository,
  ProofRepository,
  RegradeRepository,
  LabVersionRepository,
  AuthoredLabCatalog,
];

export const authoringApi = {
  controllers: [AuthoringController],
  providers: [
    AuthoringAccessService,
    DraftService,
    ProofService,
    PublishService,
    RegradeService,
    TrialService,
    AuthoringGateway,
  ],
};

export const authoringJobProviders = [ProofJobService, RegradeJobService];
