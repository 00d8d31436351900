import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

/**
 * Requests of the home directory routes (src/controllers/home.controller.ts). Paths are checked
 * further by the home service (inside the home, no `..`, no NUL); a file's size and the home's limits
 * by the engine's HomeDirectory, whose messages the student sees.
 */

/** The longest path the API takes (the engine limits each name to 255 bytes). */
export const HOME_PATH_MAX = 1024;

/**
 * The JSON body limit of PUT …/home/file: a 256 KiB file with room for JSON escapes. A bigger body is
 * refused before it is read whole (413).
 */
export const HOME_FILE_BODY_LIMIT = '1536kb';
export const HOME_FILE_TOO_LARGE =
  'request too large: a file in the home holds at most 256 KiB (this request is over 1.5 MiB)';

export class HomeFileQueryDto {
  @ApiProperty({ example: 'manifests/web.yaml', description: 'Relative to ~ (/home/student).' })
  @IsString({ message: 'path must be a string' })
  @Length(1, HOME_PATH_MAX, { message: `path must be 1 to ${HOME_PATH_MAX} characters` })
  path!: string;

  @ApiPropertyOptional({ enum: ['0', '1'], example: '0', description: '1: the raw file as an attachment.' })
  @IsOptional()
  @IsIn(['0', '1'], { message: 'download must be 0 or 1' })
  download?: '0' | '1';
}

export class HomeDeleteQueryDto {
  @ApiProperty({ example: 'old.yaml' })
  @IsString({ message: 'path must be a string' })
  @Length(1, HOME_PATH_MAX, { message: `path must be 1 to ${HOME_PATH_MAX} characters` })
  path!: string;

  @ApiPropertyOptional({ enum: ['0', '1'], example: '0', description: '1: a folder with everything in it.' })
  @IsOptional()
  @IsIn(['0', '1'], { message: 'recursive must be 0 or 1' })
  recursive?: '0' | '1';
}

export class HomeSaveDto {
  @ApiProperty({ example: 'web.yaml' })
  @IsString({ message: 'path must be a string' })
  @Length(1, HOME_PATH_MAX, { message: `path must be 1 to ${HOME_PATH_MAX} characters` })
  path!: string;

  @ApiProperty({
    description: 'The whole file (UTF-8 text, at most 256 KiB).',
    example: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: yanwei.app\n',
  })
  @IsString({ message: 'text must be a string' })
  text!: string;

  @ApiProperty({
    description: 'The home version the text was edited from (a listing or a read).',
    example: 4,
  })
  @IsInt({ message: 'baseVersion must be a whole number' })
  @Min(0, { message: 'baseVersion must be a whole number' })
  baseVersion!: number;
}
