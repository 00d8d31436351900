import {
  Body,
  Controller,
  Delete,
  Get,
  Param,
  ParseUUIDPipe,
  Put,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HomeDeleteQueryDto, HomeFileQueryDto, HomeSaveDto } from '../dtos/home.dto';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { HomeService } from '../services/home.service';
import type { HomeAtRun, HomeFile, HomeListing, HomeSaved } from '../shared/http-api';
import { ApiAnswer, ApiErrors, SESSION_NOT_FOUND, SESSION_OWNER_ONLY } from './api-docs';
import {
  homeAtRunExample,
  homeConflictExample,
  homeFileExample,
  homeListingExample,
  homeSavedExample,
} from './api-examples';

/** The student's home directory (/home/student) of a lab session: the editor, uploads, downloads, replay. */
@ApiTags('home directory')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller('lab-sessions/:labSessionId/home')
export class HomeController {
  constructor(private readonly homes: HomeService) {}

  @ApiOperation({ summary: "The files and folders of the session's home directory" })
  @ApiAnswer(200, homeListingExample)
  @ApiErrors(400, SESSION_NOT_FOUND)
  @Get()
  list(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<HomeListing> {
    return this.homes.list(user, id);
  }

  /** The file's text as JSON, or with `download=1` the raw file as an attachment. */
  @ApiOperation({ summary: 'Read a file of the home: JSON, or the raw file with download=1' })
  @ApiAnswer(200, homeFileExample)
  @ApiErrors(
    [400, 'A bad path, or a folder', 'manifests: Is a directory'],
    [404, 'No such lab session or file', 'web.yaml: No such file or directory'],
  )
  @Get('file')
  async read(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Query() query: HomeFileQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HomeFile | StreamableFile> {
    const file = await this.homes.read(user, id, query.path);
    if (query.download !== '1') return file;
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    response.setHeader('X-Home-Version', String(file.version));
    return new StreamableFile(Buffer.from(file.text, 'utf8'), { type: 'text/plain; charset=utf-8' });
  }

  /** Saves a whole file; 409 with the file as it is now when it changed after `baseVersion`. */
  @ApiOperation({ summary: 'Save a whole file, with the home version it was edited from' })
  @ApiAnswer(200, homeSavedExample)
  @ApiErrors(400, SESSION_OWNER_ONLY, SESSION_NOT_FOUND)
  @ApiResponse({
    status: 409,
    description: 'The file changed since baseVersion: the body is the file as it is now',
    example: homeConflictExample,
  })
  @ApiErrors([
    413,
    'Over 256 KiB per file or the limits of the home',
    'web.yaml: file too large: a file in this lab terminal holds at most 256 KiB (this would be 257 KiB)',
  ])
  @Put('file')
  save(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Body() body: HomeSaveDto,
  ): Promise<HomeSaved> {
    return this.homes.save(user, id, body);
  }

  @ApiOperation({ summary: 'Delete a file, or a folder with recursive=1' })
  @ApiAnswer(200, homeSavedExample)
  @ApiErrors(
    400,
    SESSION_OWNER_ONLY,
    [404, 'No such lab session or file', 'web.yaml: No such file or directory'],
    [409, 'The folder is not empty (use recursive=1)', 'manifests: Directory not empty'],
  )
  @Delete('file')
  remove(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Query() query: HomeDeleteQueryDto,
  ): Promise<HomeSaved> {
    return this.homes.remove(user, id, query.path, query.recursive === '1');
  }

  /** Replay: the files as they were after one command of the session. */
  @ApiOperation({ summary: 'Replay: the home as it was after one command of the session' })
  @ApiAnswer(200, homeAtRunExample)
  @ApiErrors(400, [
    404,
    'No such lab session, or the command is not one of it',
    'Command not found in this lab session.',
  ])
  @Get('at/:commandRunId')
  at(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Param('commandRunId', ParseUUIDPipe) runId: string,
  ): Promise<HomeAtRun> {
    return this.homes.at(user, id, runId);
  }
}
