import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
  BadRequestException,
  StreamableFile,
} from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import type {
  AuthoringLabs,
  Draft,
  DraftSaved,
  DraftValidation,
  Proof,
  Regrade,
} from '../shared/authoring-api';
import {
  CreateDraftDto,
  LAB_ID_PATTERN,
  PublishDto,
  RegradeDto,
  RemoveDraftFileDto,
  SaveDraftFileDto,
  ShareDto,
} from './authoring.dto';
import { readBody } from './bundle/read-body';
import { BUNDLE_MAX_BYTES } from './bundle/lab-files';
import { DraftService } from './services/draft.service';
import { ProofService } from './services/proof.service';
import { PublishService } from './services/publish.service';
import { RegradeService } from './services/regrade.service';
import { TrialService } from './services/trial.service';

function labIdParam(value: string): string {
  if (!LAB_ID_PATTERN.test(value)) throw new BadRequestException('labId must be a lab id.');
  return value;
}

function optionalVersion(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1)
    throw new BadRequestException('version must be a whole number >= 1.');
  return version;
}

/** Lab authoring in the browser (src/shared/authoring-api.ts); instructors of the course and admins. */
@ApiTags('authoring')
@ApiCookieAuth()
@Roles('instructor', 'admin')
@Controller('authoring')
export class AuthoringController {
  constructor(
    private readonly drafts: DraftService,
    private readonly proofs: ProofService,
    private readonly publishing: PublishService,
    private readonly regrades: RegradeService,
    private readonly trials: TrialService,
  ) {}

  @Get('labs')
  labs(
    @CurrentUser() user: AuthUser,
    @Query('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<AuthoringLabs> {
    return this.drafts.list(user, courseId);
  }

  @Post('drafts')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateDraftDto): Promise<Draft> {
    return this.drafts.create(user, body);
  }

  @Get('drafts/:draftId')
  draft(@CurrentUser() user: AuthUser, @Param('draftId', ParseUUIDPipe) draftId: string): Promise<Draft> {
    return this.drafts.get(user, draftId);
  }

  @Put('drafts/:draftId/files')
  save(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
    @Body() body: SaveDraftFileDto,
  ): Promise<DraftSaved> {
    return this.drafts.saveFile(user, draftId, body);
  }

  @Delete('drafts/:draftId/files')
  remove(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
    @Body() body: RemoveDraftFileDto,
  ): Promise<DraftSaved> {
    return this.drafts.removeFile(user, draftId, body);
  }

  @Post('drafts/:draftId/validate')
  @HttpCode(200)
  validate(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
  ): Promise<DraftValidation> {
    return this.drafts.validate(user, draftId);
  }

  @Post('drafts/:draftId/prove')
  @HttpCode(202)
  prove(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
  ): Promise<{ proofId: string }> {
    return this.proofs.request(user, draftId);
  }

  @Get('proofs/:proofId')
  proof(@CurrentUser() user: AuthUser, @Param('proofId', ParseUUIDPipe) proofId: string): Promise<Proof> {
    return this.proofs.get(user, proofId);
  }

  @Post('drafts/:draftId/publish')
  publish(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
    @Body() body: PublishDto,
  ): Promise<{ labId: string; version: number }> {
    return this.publishing.publish(user, draftId, body.courseId);
  }

  @Post('drafts/:draftId/try')
  tryDraft(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
  ): Promise<{ labSessionId: string }> {
    return this.trials.start(user, draftId);
  }

  @Get('labs/:labId/export.tar.gz')
  async exportBundle(
    @CurrentUser() user: AuthUser,
    @Param('labId') labId: string,
    @Query('courseId', ParseUUIDPipe) courseId: string,
    @Query('version') version: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const id = labIdParam(labId);
    const bundle = await this.publishing.exportBundle(user, courseId, id, optionalVersion(version));
    response.setHeader('Content-Disposition', `attachment; filename="${id}.tar.gz"`);
    return new StreamableFile(bundle, { type: 'application/gzip', length: bundle.length });
  }

  /** The body is the bundle itself (Content-Type application/gzip), at most 2 MiB. */
  @Post('import')
  async importBundle(
    @CurrentUser() user: AuthUser,
    @Query('courseId', ParseUUIDPipe) courseId: string,
    @Query('labId') labId: string | undefined,
    @Req() request: Request,
  ): Promise<Draft> {
    const archive = await readBody(request, BUNDLE_MAX_BYTES);
    return this.publishing.importBundle(user, courseId, archive, labId ? labIdParam(labId) : undefined);
  }

  @Post('labs/:labId/regrade')
  @HttpCode(202)
  regrade(
    @CurrentUser() user: AuthUser,
    @Param('labId') labId: string,
    @Body() body: RegradeDto,
  ): Promise<{ regradeId: string }> {
    return this.regrades.request(user, labIdParam(labId), body);
  }

  @Get('regrades/:regradeId')
  regradeStatus(
    @CurrentUser() user: AuthUser,
    @Param('regradeId', ParseUUIDPipe) regradeId: string,
  ): Promise<Regrade> {
    return this.regrades.get(user, regradeId);
  }

  @Post('labs/:labId/share')
  @HttpCode(200)
  @Roles('admin')
  share(@Param('labId') labId: string, @Body() body: ShareDto): Promise<{ labId: string; shared: boolean }> {
    return this.publishing.share(labIdParam(labId), body.shared);
  }
}
