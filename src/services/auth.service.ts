import { ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { AuditRepository } from '../repositories/audit.repository';
import { AuthSessionRepository } from '../repositories/auth-session.repository';
import { User, UserRepository, UserRole } from '../repositories/user.repository';
import { CourseService } from './course.service';
import { LoginThrottleService } from './login-throttle.service';
import { decoyHash, hashPassword, verifyPassword } from './password-hasher';

export const SESSION_COOKIE = 'kubelab_session';

/** What the rest of the platform knows about the signed-in user. */
export interface AuthUser {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
}

export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

export function toAuthUser(user: User): AuthUser {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserRepository,
    private readonly sessions: AuthSessionRepository,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditRepository,
    private readonly courses: CourseService,
  ) {}

  /** Self-registration creates students; instructors and admins are created by an admin or the seed. */
  async register(
    input: { email: string; password: string; displayName: string; joinCode?: string },
    client: ClientInfo,
  ): Promise<{ user: AuthUser; token: string }> {
    // Check the join code first, so a typo does not leave an account behind without its course.
    const course = input.joinCode ? await this.courses.findByJoinCodeOrFail(input.joinCode) : null;
    const user = await this.users.create({
      email: input.email,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      role: 'student',
    });
    if (!user) throw new ConflictException('An account with this email already exists.');
    if (course) await this.courses.enroll(course.id, user.id);
    await this.audit.record({
      actorId: user.id,
      action: 'user.register',
      targetType: 'user',
      targetId: user.id,
      ip: client.ip,
    });
    return { user: toAuthUser(user), token: await this.startSession(user.id, client) };
  }

  async createUser(
    actor: AuthUser,
    input: { email: string; password: string; displayName: string; role: UserRole },
  ): Promise<AuthUser> {
    const user = await this.users.create({
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    if (!user) throw new ConflictException('An account with this email already exists.');
    await this.audit.record({
      actorId: actor.id,
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      data: { role: input.role },
    });
    return toAuthUser(user);
  }

  async login(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<{ user: AuthUser; token: string }> {
    await this.throttle.beforeAttempt(email, client.ip);
    const user = await this.users.findByEmail(email);
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !valid) {
      await this.throttle.recordFailure(email);
      await this.audit.record({
        actorId: user?.id ?? null,
        action: 'auth.login_failed',
        targetType: 'user',
        targetId: user?.id ?? email.toLowerCase(),
        ip: client.ip,
      });
      throw new UnauthorizedException('Email or password is incorrect.');
    }
    await this.throttle.recordSuccess(email);
    await this.audit.record({
      actorId: user.id,
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      ip: client.ip,
    });
    return { user: toAuthUser(user), token: await this.startSession(user.id, client) };
  }

  async logout(token: string | undefined): Promise<void> {
    if (token) await this.sessions.deleteByTokenHash(hashToken(token));
  }

  /** Resolves a session cookie to its user, or null when missing, unknown or expired. */
  async authenticate(token: string | undefined): Promise<AuthUser | null> {
    if (!token || token.length > 200) return null;
    const now = new Date();
    const session = await this.sessions.findActive(hashToken(token), now);
    if (!session) return null;
    // Writing on every request would be wasteful: a minute's precision is enough for "last seen".
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await this.sessions.touch(session.id, now);
    return toAuthUser(session.user);
  }

  get sessionTtlMs(): number {
    return this.config.auth.sessionTtlHours * 3600_000;
  }

  private async startSession(userId: string, client: ClientInfo): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.sessions.create({
      userId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + this.sessionTtlMs),
      userAgent: client.userAgent?.slice(0, 300),
      ip: client.ip,
    });
    return token;
  }
}
