import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LoginDto, RegisterDto, UserDto } from '../dtos/auth.dto';
import { CurrentUser, Public, sessionTokenFrom } from '../middleware/auth.guard';
import { AuthService, AuthUser, ClientInfo, SESSION_COOKIE } from '../services/auth.service';
import type { User } from '../shared/http-api';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

export function clientInfo(request: Request): ClientInfo {
  return {
    ip: request.ip ?? request.socket.remoteAddress ?? 'unknown',
    userAgent: request.headers['user-agent'],
  };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('register')
  @ApiOkResponse({ type: UserDto })
  async register(
    @Body() body: RegisterDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<User> {
    const { user, token } = await this.auth.register(body, clientInfo(request));
    this.setCookie(response, token);
    return user;
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  @ApiTooManyRequestsResponse({ description: 'Throttled; see the Retry-After header' })
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<User> {
    const { user, token } = await this.auth.login(body.email, body.password, clientInfo(request));
    this.setCookie(response, token);
    return user;
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(sessionTokenFrom(request.headers.cookie));
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @ApiCookieAuth()
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser): User {
    return user;
  }

  private setCookie(response: Response, token: string): void {
    response.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.auth.cookieSecure,
      path: '/',
      maxAge: this.auth.sessionTtlMs,
    });
  }
}
