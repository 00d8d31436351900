import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** The lab loader's id rule (labs/README.md): lower-case letters, digits and "-". */
export const LAB_ID_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const LAB_ID_MESSAGE = 'must be a lab id: lower-case letters, digits and "-"';

export class CopyFromDto {
  @IsString()
  @Matches(LAB_ID_PATTERN, { message: `labId ${LAB_ID_MESSAGE}` })
  @MaxLength(63)
  labId!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class CreateDraftDto {
  @IsUUID('all', { message: 'courseId must be a course id' })
  courseId!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CopyFromDto)
  copyFrom?: CopyFromDto;

  @IsOptional()
  @IsString()
  @Matches(LAB_ID_PATTERN, { message: `labId ${LAB_ID_MESSAGE}` })
  @MaxLength(63)
  labId?: string;
}

export class SaveDraftFileDto {
  @IsString()
  @MaxLength(200)
  path!: string;

  @IsString()
  content!: string;

  @IsInt()
  @Min(1)
  baseRevision!: number;
}

export class RemoveDraftFileDto {
  @IsString()
  @MaxLength(200)
  path!: string;

  @IsInt()
  @Min(1)
  baseRevision!: number;
}

export class PublishDto {
  @IsUUID('all', { message: 'courseId must be a course id' })
  courseId!: string;
}

export class RegradeDto {
  @IsUUID('all', { message: 'courseId must be a course id' })
  courseId!: string;

  @IsInt()
  @Min(1)
  fromVersion!: number;
}

export class ShareDto {
  @IsBoolean()
  shared!: boolean;
}

export class AuthoringWatchDto {
  @IsUUID('all', { message: 'draftId must be a draft id' })
  draftId!: string;
}
