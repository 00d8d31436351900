import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LabSession, LabSessionRepository } from '../repositories/lab-session.repository';
import { UserRepository } from '../repositories/user.repository';
import type { KubeApiTokenInfo } from '../shared/kube-api';
import { KubeApiToken, KubeApiTokenRepository, KubeApiTokenRole } from './kube-api-token.repository';
import { TokenCodec } from './token-codec';

/** Who a valid token stands for, on the session whose path it was used on. */
export interface KubeApiPrincipal {
  tokenId: string;
  labSessionId: string;
  /** The session's student: the cluster's owner (the platform finds the cluster through it). */
  ownerId: string;
  userId: string;
  /** The name an API server's 403 gives the user (instructors' tokens are read-only). */
  userName: string;
  readOnly: boolean;
}

export type Authentication =
  | { ok: true; principal: KubeApiPrincipal }
  /** 401: no token, not ours, revoked, expired, or its session ended. 404: a token of another session. */
  | { ok: false; code: 401 | 404 };

/** A token's validity is read from the database at most this often per API process (revocation's lag). */
const CACHE_MS = 2000;
const CACHE_ENTRIES = 10_000;

/**
 * Per-session bearer tokens for the Kubernetes API (issue 20): students get one for their session, instructors a
 * read-only one for a session of a course they teach. A token expires KUBE_API_TOKEN_TTL_HOURS after it is made
 * or when its session ends (isLive), whichever is first; making a new one revokes the old.
 */
@Injectable()
export class KubeApiTokenService {
  private readonly logger = new Logger('KubeApiTokens');
  private readonly codec: TokenCodec;
  private readonly cache = new Map<string, { at: number; principal: KubeApiPrincipal | null }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: KubeApiTokenRepository,
    private readonly sessions: LabSessionRepository,
    private readonly users: UserRepository,
  ) {
    this.codec = new TokenCodec(this.tokenKey());
  }

  /** The user's current token of the session (its secret and when it expires), made when there is none. */
  async currentOrNew(
    labSessionId: string,
    userId: string,
    role: KubeApiTokenRole,
  ): Promise<{ secret: string; info: KubeApiTokenInfo }> {
    const existing = await this.tokens.current(labSessionId, userId, role);
    const token =
      existing && (await this.isLive(existing))
        ? existing
        : await this.tokens.replace(labSessionId, userId, role);
    return { secret: this.codec.encode(token.id), info: this.infoOf(token) };
  }

  /** The current token's description without its secret, or null. */
  async current(
    labSessionId: string,
    userId: string,
    role: KubeApiTokenRole,
  ): Promise<KubeApiTokenInfo | null> {
    const token = await this.tokens.current(labSessionId, userId, role);
    return token && (await this.isLive(token)) ? this.infoOf(token) : null;
  }

  /** A new token; every earlier one of the user's for the session stops working (at once on this process). */
  async renew(
    labSessionId: string,
    userId: string,
    role: KubeApiTokenRole,
  ): Promise<{ secret: string; info: KubeApiTokenInfo }> {
    const token = await this.tokens.replace(labSessionId, userId, role);
    for (const [id, entry] of this.cache)
      if (entry.principal?.labSessionId === labSessionId && entry.principal.userId === userId)
        this.cache.delete(id);
    return { secret: this.codec.encode(token.id), info: this.infoOf(token) };
  }

  /** Checks a bearer token for a request on `labSessionId`'s path. */
  async authenticate(bearer: string | undefined, labSessionId: string): Promise<Authentication> {
    const tokenId = bearer === undefined ? undefined : this.codec.decode(bearer);
    if (tokenId === undefined) return { ok: false, code: 401 };
    const principal = await this.principalOf(tokenId);
    if (!principal) return { ok: false, code: 401 };
    // A valid token on another session's path: that path does not exist for its holder.
    if (principal.labSessionId !== labSessionId) return { ok: false, code: 404 };
    return { ok: true, principal };
  }

  private async principalOf(tokenId: string): Promise<KubeApiPrincipal | null> {
    const cached = this.cache.get(tokenId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.principal;
    const principal = await this.load(tokenId);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
    this.cache.set(tokenId, { at: Date.now(), principal });
    return principal;
  }

  private async load(tokenId: string): Promise<KubeApiPrincipal | null> {
    const token = await this.tokens.findById(tokenId);
    if (!token || token.revokedAt) return null;
    const session = await this.sessions.findById(token.labSessionId);
    if (!session || !(await this.isLive(token, session))) return null;
    const user = token.role === 'instructor' ? await this.users.findById(token.userId) : null;
    return {
      tokenId,
      labSessionId: session.id,
      ownerId: session.userId,
      userId: token.userId,
      // The student is minikube's admin user in their own cluster; an instructor is named by their login.
      userName: user?.email ?? 'minikube-user',
      readOnly: token.role === 'instructor',
    };
  }

  /**
   * A token lives until KUBE_API_TOKEN_TTL_HOURS after it was made and until its session ends: the session is
   * finished, its time limit (hard deadline) has passed since the token was made, or a cluster of the session was
   * stopped for that limit after it was made (the session then goes on with a new cluster, a new time limit and new
   * tokens).
   */
  private async isLive(token: KubeApiToken, known?: LabSession | null): Promise<boolean> {
    const now = Date.now();
    if (this.expiresAt(token).getTime() <= now) return false;
    const session = known ?? (await this.sessions.findById(token.labSessionId));
    if (!session || session.status !== 'active') return false;
    const deadline = session.hardDeadlineAt?.getTime();
    if (deadline !== undefined && deadline <= now && token.createdAt.getTime() < deadline) return false;
    return !(await this.tokens.sessionEndedSince(session.id, token.createdAt));
  }

  private expiresAt(token: KubeApiToken): Date {
    return new Date(token.createdAt.getTime() + this.config.kubeApi.tokenTtlHours * 3600_000);
  }

  private infoOf(token: KubeApiToken): KubeApiTokenInfo {
    return {
      id: token.id,
      createdAt: token.createdAt.toISOString(),
      expiresAt: this.expiresAt(token).toISOString(),
    };
  }

  /**
   * The HMAC key: from KUBE_API_TOKEN_SECRET (every API process of a deployment must share it), else a random key
   * made once in DATA_DIR (enough for one machine: the demo and the tests). Never in the database.
   */
  private tokenKey(): Buffer {
    const configured = this.config.kubeApi.tokenSecret;
    if (configured !== undefined) return createHash('sha256').update(configured).digest();
    const file = path.resolve(this.config.dataDir, 'kube-api-token.key');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
      this.logger.log({ msg: 'made a Kubernetes API token key', file });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return createHash('sha256').update(fs.readFileSync(file, 'utf8').trim()).digest();
  }
}
