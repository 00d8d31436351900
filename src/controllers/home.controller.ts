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
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HomeDeleteQueryDto, HomeFileQueryDto, HomeSaveDto } from '../dtos/home.dto';
import { CurrentUser } from '../middleware/auth.guard';
import type { AuthUser } from '../services/auth.service';
import { HomeService } from '../services/home.service';
import type { HomeAtRun, HomeFile, HomeListing, HomeSaved } from '../shared/http-api';

/** The student's home directory (/home/student) of a lab session: the editor, uploads, downloads, replay. */
@ApiTags('home directory')
@ApiCookieAuth()
@Controller('lab-sessions/:labSessionId/home')
export class HomeController {
  constructor(private readonly homes: HomeService) {}

  @Get()
  list(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
  ): Promise<HomeListing> {
    return this.homes.list(user, id);
  }

  /** The file's text as JSON, or with `download=1` the raw file as an attachment. */
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
  @Put('file')
  save(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Body() body: HomeSaveDto,
  ): Promise<HomeSaved> {
    return this.homes.save(user, id, body);
  }

  @Delete('file')
  remove(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Query() query: HomeDeleteQueryDto,
  ): Promise<HomeSaved> {
    return this.homes.remove(user, id, query.path, query.recursive === '1');
  }

  /** Replay: the files as they were after one command of the session. */
  @Get('at/:commandRunId')
  at(
    @CurrentUser() user: AuthUser,
    @Param('labSessionId', ParseUUIDPipe) id: string,
    @Param('commandRunId', ParseUUIDPipe) runId: string,
  ): Promise<HomeAtRun> {
    return this.homes.at(user, id, runId);
  }
}
