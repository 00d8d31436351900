/**
 * The student's own kubectl (issue 20). Like lab authoring, its parts join the platform's modules:
 * - kubeApiApi: in ApiModule — the HTTPS listener, tokens, limits and the workspace's endpoints;
 * - kubeApiWorkerProviders: in WorkerModule — the relay that serves the API of this worker's clusters.
 */
import { KubeApiController } from '../controllers/kube-api.controller';
import { KubeApiAccessService } from './kube-api-access.service';
import { KubeApiListenerService } from './kube-api-listener.service';
import { KubeApiRelayService } from './kube-api-relay.service';
import { KubeApiTokenRepository } from './kube-api-token.repository';
import { KubeApiTokenService } from './kube-api-tokens.service';
import { RelayDirectoryRepository } from './relay-directory.repository';
import { SessionGate } from './session-gate';
import { SessionLimitsService } from './session-limits.service';
import { ServingCertificateService } from './serving-certificate.service';
import { API_REQUEST_OBSERVER } from './api-request-observer';
import { InvocationHistoryService } from './invocation-history.service';

export const kubeApiApi = {
  controllers: [KubeApiController],
  providers: [
    KubeApiTokenRepository,
    KubeApiTokenService,
    ServingCertificateService,
    SessionLimitsService,
    RelayDirectoryRepository,
    KubeApiListenerService,
    KubeApiAccessService,
    // The listener's requests become the session's history lines (grouped into kubectl invocations, graded).
    InvocationHistoryService,
    { provide: API_REQUEST_OBSERVER, useExisting: InvocationHistoryService },
  ],
};

export const kubeApiWorkerProviders = [SessionGate, KubeApiRelayService];
