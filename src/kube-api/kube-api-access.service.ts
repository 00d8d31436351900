import { ConflictException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { AuthUser } from '../services/auth.service';
import { ClusterLookupService } from '../services/cluster-lookup.service';
import { LabSessionService } from '../services/lab-session.service';
import type { LabSession } from '../repositories/lab-session.repository';
import type { KubeApiAccess } from '../shared/kube-api';
import { KubeApiListenerService } from './kube-api-listener.service';
import { KubeApiTokenService } from './kube-api-tokens.service';
import type { KubeApiTokenRole } from './kube-api-token.repository';
import { contextNamespaceOf, kubeconfigFileName, sessionKubeconfig, setupLines } from './kubeconfig';
import { ServingCertificateService } from './serving-certificate.service';

/**
 * "Use your own kubectl" for the workspace: the session's API address, CA and token, and its kubeconfig. The
 * session's student gets a token with full access; an instructor of the course a read-only one (same endpoints).
 */
@Injectable()
export class KubeApiAccessService {
  constructor(
    private readonly sessions: LabSessionService,
    private readonly tokens: KubeApiTokenService,
    private readonly listener: KubeApiListenerService,
    private readonly certificates: ServingCertificateService,
    private readonly clusters: ClusterLookupService,
  ) {}

  async describe(user: AuthUser, labSessionId: string): Promise<KubeApiAccess> {
    const { session, role } = await this.sessionFor(user, labSessionId);
    const token = session.status === 'active' ? await this.tokens.current(session.id, user.id, role) : null;
    return this.accessOf(session, token);
  }

  async renew(user: AuthUser, labSessionId: string): Promise<KubeApiAccess> {
    const { session, role } = await this.sessionFor(user, labSessionId);
    this.requireActive(session);
    const { info } = await this.tokens.renew(session.id, user.id, role);
    return this.accessOf(session, info);
  }

  async kubeconfig(user: AuthUser, labSessionId: string): Promise<{ fileName: string; text: string }> {
    const { session, role } = await this.sessionFor(user, labSessionId);
    this.requireActive(session);
    const [{ secret }, ca, namespace] = await Promise.all([
      this.tokens.currentOrNew(session.id, user.id, role),
      this.certificates.certificate().then((certificate) => certificate.ca),
      this.namespaceOf(session.id),
    ]);
    const text = sessionKubeconfig({
      server: this.serverOf(session.id),
      token: secret,
      caCert: ca,
      namespace,
    });
    return { fileName: kubeconfigFileName(session.id), text };
  }

  private async accessOf(session: LabSession, token: KubeApiAccess['token']): Promise<KubeApiAccess> {
    const [ca, namespace] = await Promise.all([
      this.certificates.certificate().then((certificate) => certificate.ca),
      this.namespaceOf(session.id),
    ]);
    return {
      server: this.serverOf(session.id),
      ...(ca ? { caData: Buffer.from(ca).toString('base64') } : {}),
      token,
      namespace,
      setup: setupLines(session.id),
    };
  }

  private async sessionFor(
    user: AuthUser,
    labSessionId: string,
  ): Promise<{ session: LabSession; role: KubeApiTokenRole }> {
    const { session, access } = await this.sessions.access(user, labSessionId);
    return { session, role: access === 'owner' ? 'student' : 'instructor' };
  }

  private requireActive(session: LabSession): void {
    if (session.status !== 'active')
      throw new ConflictException('This lab session has ended: its cluster has no API any more.');
  }

  private serverOf(labSessionId: string): string {
    const base = this.listener.serverUrl();
    if (base === undefined)
      throw new ServiceUnavailableException('The Kubernetes API listener is not running.');
    return `${base}/k8s/${labSessionId}`;
  }

  /** The namespace the student last set in the terminal's kubeconfig (from the cluster's saved state). */
  private async namespaceOf(labSessionId: string): Promise<string> {
    const found = await this.clusters.readyCluster(labSessionId).catch(() => null);
    if (!found) return 'default';
    const snapshot = found.ref.snapshot ?? (await found.ref.loadSnapshot?.().catch(() => null));
    return contextNamespaceOf(snapshot);
  }
}
