import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { KubeApiAccessService } from '../kube-api/kube-api-access.service';
import type { KubeApiAccess } from '../shared/kube-api';
import { ApiAnswer, ApiErrors, type ErrorAnswer, SESSION_NOT_FOUND } from './api-docs';
import { kubeApiAccessExample, kubeconfigExample } from './api-examples';

/** What the kubeconfig download and a new token answer alike when they cannot give one. */
const KUBECONFIG_ERRORS: ErrorAnswer[] = [
  400,
  SESSION_NOT_FOUND,
  [409, 'The lab session has ended', 'This lab session has ended: its cluster has no API any more.'],
  [
    503,
    'The Kubernetes API listener is not running, or the database is unavailable',
    'The Kubernetes API listener is not running.',
  ],
];

/** "Use your own kubectl" (issue 20): the session's Kubernetes API address, token and kubeconfig. */
@ApiTags('kubernetes api')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller('lab-sessions/:labSessionId/kube-api')
export class KubeApiController {
  constructor(private readonly access: KubeApiAccessService) {}

  @ApiOperation({ summary: "The session's Kubernetes API: its address and current token (never the secret)" })
  @ApiAnswer(200, kubeApiAccessExample)
  @ApiErrors(400, SESSION_NOT_FOUND)
  @Get()
  describe(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<KubeApiAccess> {
    return this.access.describe(user, id);
  }

  /** The kubeconfig as a file; it carries the current token (one is made when there is none). */
  @ApiOperation({ summary: 'Download a kubeconfig for the session (a token is made when there is none)' })
  @ApiProduces('application/yaml')
  @ApiAnswer(200, kubeconfigExample, {
    headers: {
      'Content-Disposition': {
        description: 'A download',
        example: 'attachment; filename="kubelab-8b2d7c41.kubeconfig"',
      },
    },
  })
  @ApiErrors(...KUBECONFIG_ERRORS)
  @Get('kubeconfig')
  @Header('Cache-Control', 'no-store')
  async kubeconfig(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { fileName, text } = await this.access.kubeconfig(user, id);
    response.setHeader('Content-Type', 'application/yaml; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    return text;
  }

  /** A new token; the previous one stops working. */
  @ApiOperation({ summary: 'Make a new token; the previous one stops working' })
  @ApiAnswer(200, kubeApiAccessExample)
  @ApiErrors(...KUBECONFIG_ERRORS)
  @Post('token')
  @HttpCode(200)
  renew(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<KubeApiAccess> {
    return this.access.renew(user, id);
  }
}
