import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LoginDto, RegisterDto, UserDto } from '../dtos/auth.dto';
import { CurrentUser, Public, sessionTokenFrom } from '../middleware/auth.guard';
import { AuthService, AuthUser, ClientInfo, SESSION_COOKIE } from '../services/auth.service';
import type { User } from '../shared/http-api';
import { ApiAnswer, ApiErrors } from './api-docs';
import { SESSION_COOKIE_SET, userExample } from './api-examples';
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
  @ApiOperation({ summary: 'Register a student account (and join a course with its join code)' })
  @ApiAnswer(201, userExample, {
    type: UserDto,
    headers: SESSION_COOKIE_SET,
  })
  @ApiErrors(
    400,
    [
      404,
      'No course has this join code',
      'No course has this join code. Ask your instructor for the current one.',
    ],
    [409, 'An account with this email already exists'],
    503,
  )
  @Post('register')
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
  @ApiOperation({ summary: 'Sign in: sets the session cookie' })
  @ApiAnswer(200, userExample, {
    type: UserDto,
    headers: SESSION_COOKIE_SET,
  })
  @ApiErrors(400, [401, 'Email or password is incorrect', 'Email or password is incorrect.'], 429, 503)
  @Post('login')
  @HttpCode(200)
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
  @ApiOperation({ summary: 'Sign out: ends the session and clears its cookie' })
  @ApiAnswer(204, undefined, {
    headers: {
      'Set-Cookie': {
        description: 'The cookie, cleared',
        example: 'kubelab_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      },
    },
  })
  @ApiErrors(503)
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(sessionTokenFrom(request.headers.cookie));
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @ApiOperation({ summary: 'The signed-in user' })
  @ApiAnswer(200, userExample, { type: UserDto })
  @ApiErrors(401, 503)
  @Get('me')
  @ApiCookieAuth()
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
