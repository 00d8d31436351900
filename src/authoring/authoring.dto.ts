import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiProperty({ example: 'lec7-k8s-basics', description: 'A built-in or published lab to copy' })
  @IsString()
  @Matches(LAB_ID_PATTERN, { message: `labId ${LAB_ID_MESSAGE}` })
  @MaxLength(63)
  labId!: string;

  @ApiPropertyOptional({ example: 2, description: 'A published version (default: the newest)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class CreateDraftDto {
  @ApiProperty({ example: '3f1c2a9e-5b7d-4e21-9c0a-8d6f4b2e1a70' })
  @IsUUID('all', { message: 'courseId must be a course id' })
  courseId!: string;

  @ApiPropertyOptional({ type: CopyFromDto, example: { labId: 'lec7-k8s-basics' } })
  @IsOptional()
  @ValidateNested()
  @Type(() => CopyFromDto)
  copyFrom?: CopyFromDto;

  @ApiPropertyOptional({ example: 'web-basics', description: 'The id of a new lab (when not copying)' })
  @IsOptional()
  @IsString()
  @Matches(LAB_ID_PATTERN, { message: `labId ${LAB_ID_MESSAGE}` })
  @MaxLength(63)
  labId?: string;
}

export class SaveDraftFileDto {
  @ApiProperty({ example: 'steps/01-deploy.md' })
  @IsString()
  @MaxLength(200)
  path!: string;

  @ApiProperty({ example: '# Deploy\n\nCreate the `web` deployment.\n' })
  @IsString()
  content!: string;

  @ApiProperty({ example: 3, description: 'The revision the file was edited from' })
  @IsInt()
  @Min(1)
  baseRevision!: number;
}

export class RemoveDraftFileDto {
  @ApiProperty({ example: 'files/old.yaml' })
  @IsString()
  @MaxLength(200)
  path!: string;

  @ApiProperty({ example: 3, description: 'The revision the removal was decided on' })
  @IsInt()
  @Min(1)
  baseRevision!: number;
}

export class PublishDto {
  @ApiProperty({ example: '3f1c2a9e-5b7d-4e21-9c0a-8d6f4b2e1a70', description: 'The course of the draft' })
  @IsUUID('all', { message: 'courseId must be a course id' })
  courseId!: string;
}

export class RegradeDto {
  @ApiProperty({ example: '3f1c2a9e-5b7d-4e21-9c0a-8d6f4b2e1a70' })
  @IsUUID('all', { message: 'courseId must be a course id' })
  courseId!: string;

  @ApiProperty({ example: 1, description: 'Sessions pinned to this version move to the newest' })
  @IsInt()
  @Min(1)
  fromVersion!: number;
}

export class ShareDto {
  @ApiProperty({ example: true })
  @IsBoolean()
  shared!: boolean;
}

export class AuthoringWatchDto {
  @IsUUID('all', { message: 'draftId must be a draft id' })
  draftId!: string;
}
