import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { KubeApiAccessService } from '../kube-api/kube-api-access.service';
import type { KubeApiAccess } from '../shared/kube-api';

/** "Use your own kubectl" (issue 20): the session's Kubernetes API address, token and kubeconfig. */
@ApiTags('kubernetes api')
@ApiCookieAuth()
@Controller('lab-sessions/:labSessionId/kube-api')
export class KubeApiController {
  constructor(private readonly access: KubeApiAccessService) {}

  @Get()
  describe(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<KubeApiAccess> {
    return this.access.describe(user, id);
  }

  /** The kubeconfig as a file; it carries the current token (one is made when there is none). */
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
  @Post('token')
  @HttpCode(200)
  renew(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<KubeApiAccess> {
    return this.access.renew(user, id);
  }
}
