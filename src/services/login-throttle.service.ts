import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RedisRepository } from '../repositories/redis.repository';

export class TooManyAttemptsError extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `Too many login attempts. Try again in ${retryAfterSeconds} s.`,
        retryAfterSeconds,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Two limits guard login: failed attempts per account (stops guessing one password from many
 * addresses) and all attempts per client address (stops spraying many accounts from one).
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {}

  async beforeAttempt(email: string, ip: string): Promise<void> {
    const { loginMaxAttemptsPerIp, loginMaxFailuresPerAccount, loginWindowSeconds } = this.config.auth;
    const perIp = await this.redis.hit(this.ipKey(ip), 60);
    if (perIp.count > loginMaxAttemptsPerIp) throw new TooManyAttemptsError(perIp.resetSeconds);
    const failures = await this.redis.peek(this.accountKey(email));
    if (failures.count >= loginMaxFailuresPerAccount) {
      throw new TooManyAttemptsError(failures.resetSeconds || loginWindowSeconds);
    }
  }

  async recordFailure(email: string): Promise<void> {
    await this.redis.hit(this.accountKey(email), this.config.auth.loginWindowSeconds);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.forget(this.accountKey(email));
  }

  private accountKey(email: string): string {
    return `${this.config.redisPrefix}:login:account:${email.toLowerCase()}`;
  }

  private ipKey(ip: string): string {
    return `${this.config.redisPrefix}:login:ip:${ip}`;
  }
}
