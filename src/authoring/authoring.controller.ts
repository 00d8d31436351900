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
import {
  ApiBody,
  ApiConsumes,
  ApiCookieAuth,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiAnswer,
  ApiErrors,
  CLUSTER_CAP,
  CLUSTER_LIMIT,
  COURSE_NOT_FOUND,
  DRAFT_NOT_FOUND,
} from '../controllers/api-docs';
import {
  authoringLabsExample,
  draftExample,
  draftSavedExample,
  draftValidationExample,
  proofExample,
  proofRequestedExample,
  publishedExample,
  regradeExample,
  regradeRequestedExample,
  sharedExample,
  trialExample,
} from '../controllers/api-examples';
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
@ApiErrors(
  401,
  [
    403,
    'Instructors and admins only (and instructors of the course)',
    'This needs the instructor or admin role.',
  ],
  503,
)
@Controller('authoring')
export class AuthoringController {
  constructor(
    private readonly drafts: DraftService,
    private readonly proofs: ProofService,
    private readonly publishing: PublishService,
    private readonly regrades: RegradeService,
    private readonly trials: TrialService,
  ) {}

  @ApiOperation({ summary: 'The labs a course can use: built-in, drafts and published' })
  @ApiQuery({ name: 'courseId', example: '3f1c2a9e-5b7d-4e21-9c0a-8d6f4b2e1a70' })
  @ApiAnswer(200, authoringLabsExample)
  @ApiErrors(400, COURSE_NOT_FOUND)
  @Get('labs')
  labs(
    @CurrentUser() user: AuthUser,
    @Query('courseId', ParseUUIDPipe) courseId: string,
  ): Promise<AuthoringLabs> {
    return this.drafts.list(user, courseId);
  }

  @ApiOperation({ summary: 'Start a draft: a new lab, or a copy of a built-in or published lab' })
  @ApiAnswer(201, draftExample)
  @ApiErrors(
    400,
    [404, 'No such course or lab to copy', 'Lab not found.'],
    [
      409,
      'The lab id is taken, or the course already has a draft of the lab',
      'The lab id "web-basics" is used by another course; choose another id.',
    ],
  )
  @Post('drafts')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateDraftDto): Promise<Draft> {
    return this.drafts.create(user, body);
  }

  @ApiOperation({ summary: 'A draft with its files and the problems of its revision' })
  @ApiAnswer(200, draftExample)
  @ApiErrors(400, DRAFT_NOT_FOUND)
  @Get('drafts/:draftId')
  draft(@CurrentUser() user: AuthUser, @Param('draftId', ParseUUIDPipe) draftId: string): Promise<Draft> {
    return this.drafts.get(user, draftId);
  }

  @ApiOperation({ summary: 'Save one file of a draft, with the revision it was edited from' })
  @ApiAnswer(200, draftSavedExample)
  @ApiErrors(400, DRAFT_NOT_FOUND, [
    409,
    'The draft changed since baseRevision: the body has its current files to merge',
    'The draft changed meanwhile (now revision 4); merge your change into it and save again.',
  ])
  @Put('drafts/:draftId/files')
  save(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
    @Body() body: SaveDraftFileDto,
  ): Promise<DraftSaved> {
    return this.drafts.saveFile(user, draftId, body);
  }

  @ApiOperation({ summary: 'Remove one file of a draft' })
  @ApiAnswer(200, draftSavedExample)
  @ApiErrors(
    [400, 'A bad request, or lab.yaml (a lab cannot do without it)'],
    [404, 'No such draft or file', 'The draft has no file "files/old.yaml".'],
    [
      409,
      'The draft changed since baseRevision',
      'The draft changed meanwhile (now revision 4); merge your change into it and save again.',
    ],
  )
  @Delete('drafts/:draftId/files')
  remove(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
    @Body() body: RemoveDraftFileDto,
  ): Promise<DraftSaved> {
    return this.drafts.removeFile(user, draftId, body);
  }

  @ApiOperation({ summary: "Check a draft as the lab loader would, with the students' preview" })
  @ApiAnswer(200, draftValidationExample)
  @ApiErrors(400, DRAFT_NOT_FOUND)
  @Post('drafts/:draftId/validate')
  @HttpCode(200)
  validate(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
  ): Promise<DraftValidation> {
    return this.drafts.validate(user, draftId);
  }

  @ApiOperation({ summary: "Prove the draft: each step's checks fail before and pass after its solution" })
  @ApiAnswer(202, proofRequestedExample)
  @ApiErrors(
    [
      400,
      'A bad id, or the draft has problems to fix first',
      'Fix the problems of the draft before proving it.',
    ],
    DRAFT_NOT_FOUND,
  )
  @Post('drafts/:draftId/prove')
  @HttpCode(202)
  prove(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
  ): Promise<{ proofId: string }> {
    return this.proofs.request(user, draftId);
  }

  @ApiOperation({ summary: 'The state and step results of a proof' })
  @ApiAnswer(200, proofExample)
  @ApiErrors(400, [404, 'No such proof, or not of a draft of the caller', 'Proof not found.'])
  @Get('proofs/:proofId')
  proof(@CurrentUser() user: AuthUser, @Param('proofId', ParseUUIDPipe) proofId: string): Promise<Proof> {
    return this.proofs.get(user, proofId);
  }

  @ApiOperation({ summary: 'Publish a proven draft as the next version of its lab' })
  @ApiAnswer(201, publishedExample)
  @ApiErrors(400, DRAFT_NOT_FOUND, [
    409,
    'The revision has no passing proof, or the lab id belongs to another course',
    'Revision 3 has no passing proof; prove it first.',
  ])
  @Post('drafts/:draftId/publish')
  publish(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
    @Body() body: PublishDto,
  ): Promise<{ labId: string; version: number }> {
    return this.publishing.publish(user, draftId, body.courseId);
  }

  @ApiOperation({ summary: 'Try a draft as a student would, in a trial lab session' })
  @ApiAnswer(201, trialExample)
  @ApiErrors(
    [
      400,
      'A bad id, or the draft has problems to fix first',
      'Fix the problems of the draft before trying it.',
    ],
    DRAFT_NOT_FOUND,
    CLUSTER_CAP,
    CLUSTER_LIMIT,
  )
  @Post('drafts/:draftId/try')
  tryDraft(
    @CurrentUser() user: AuthUser,
    @Param('draftId', ParseUUIDPipe) draftId: string,
  ): Promise<{ labSessionId: string }> {
    return this.trials.start(user, draftId);
  }

  @ApiOperation({ summary: 'Download a lab (a version of it) as a .tar.gz bundle' })
  @ApiQuery({ name: 'courseId', example: '3f1c2a9e-5b7d-4e21-9c0a-8d6f4b2e1a70' })
  @ApiQuery({ name: 'version', required: false, example: 2 })
  @ApiProduces('application/gzip')
  @ApiAnswer(200, undefined, {
    description: 'The bundle: lab.yaml, steps/*.md, files/**',
    headers: {
      'Content-Disposition': {
        description: 'A download',
        example: 'attachment; filename="web-basics.tar.gz"',
      },
    },
  })
  @ApiErrors(400, [404, 'No such lab or version', 'Published lab not found.'])
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
  @ApiOperation({ summary: 'Import a .tar.gz bundle as a new draft' })
  @ApiConsumes('application/gzip')
  @ApiBody({ description: 'The bundle itself, at most 2 MiB', schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'courseId', example: '3f1c2a9e-5b7d-4e21-9c0a-8d6f4b2e1a70' })
  @ApiQuery({
    name: 'labId',
    required: false,
    example: 'web-basics-2',
    description: 'Another id for the imported lab',
  })
  @ApiAnswer(201, draftExample)
  @ApiErrors(
    [
      400,
      'Not a gzip body, over 2 MiB, or not a lab bundle',
      'Send the bundle as the request body with Content-Type application/gzip.',
    ],
    COURSE_NOT_FOUND,
    [
      409,
      'The lab id is taken, or the course already has a draft of the lab',
      'The lab id "web-basics" is used by another course; choose another id.',
    ],
  )
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

  @ApiOperation({ summary: 'Regrade every session of a lab pinned to an older version on the newest' })
  @ApiAnswer(202, regradeRequestedExample)
  @ApiErrors(
    [
      400,
      'A bad request, or fromVersion is already the newest',
      'Version 2 is the newest; publish a fix before regrading.',
    ],
    [404, 'No such published lab or version', 'Published lab not found.'],
  )
  @Post('labs/:labId/regrade')
  @HttpCode(202)
  regrade(
    @CurrentUser() user: AuthUser,
    @Param('labId') labId: string,
    @Body() body: RegradeDto,
  ): Promise<{ regradeId: string }> {
    return this.regrades.request(user, labIdParam(labId), body);
  }

  @ApiOperation({ summary: 'The progress of a regrade' })
  @ApiAnswer(200, regradeExample)
  @ApiErrors(400, [404, 'No such regrade, or not of a lab of the caller', 'Regrade not found.'])
  @Get('regrades/:regradeId')
  regradeStatus(
    @CurrentUser() user: AuthUser,
    @Param('regradeId', ParseUUIDPipe) regradeId: string,
  ): Promise<Regrade> {
    return this.regrades.get(user, regradeId);
  }

  @ApiOperation({ summary: 'Share a published lab with every course, or stop sharing it (admins)' })
  @ApiAnswer(200, sharedExample)
  @ApiErrors(400, [404, 'No such published lab', 'Published lab not found.'])
  @Post('labs/:labId/share')
  @HttpCode(200)
  @Roles('admin')
  share(@Param('labId') labId: string, @Body() body: ShareDto): Promise<{ labId: string; shared: boolean }> {
    return this.publishing.share(labIdParam(labId), body.shared);
  }
}
