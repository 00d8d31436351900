import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNumber,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

const TIME_HELP =
  'A local date-time of the course\'s time zone ("2026-12-11T23:59"), or an ISO 8601 instant with "Z" or an offset ("2026-12-11T23:59+08:00"); null: none.';

export class ScheduleLabDto {
  @ApiProperty({ example: 'lec7-k8s-basics' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'labId must be a lab id' })
  labId!: string;

  @ApiProperty({
    nullable: true,
    example: '2026-12-07T08:00',
    description: `When students see the lab. ${TIME_HELP}`,
  })
  @ValidateIf((_, value) => value !== null)
  @IsString({ message: 'opensAt must be a date-time or null' })
  @Length(16, 29)
  opensAt!: string | null;

  @ApiProperty({
    nullable: true,
    example: '2026-12-11T23:59',
    description: `Work after it is flagged late. ${TIME_HELP}`,
  })
  @ValidateIf((_, value) => value !== null)
  @IsString({ message: 'dueAt must be a date-time or null' })
  @Length(16, 29)
  dueAt!: string | null;

  @ApiProperty({
    example: 1,
    description: "The lab's share of the course total relative to the others' (0-100).",
  })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 })
  @Min(0)
  @Max(100)
  weight!: number;
}

/** The whole schedule: the course offers exactly these labs, in this order. */
export class ReplaceScheduleDto {
  @ApiProperty({ type: [ScheduleLabDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ScheduleLabDto)
  labs!: ScheduleLabDto[];
}

export class CourseTimeZoneDto {
  @ApiProperty({ example: 'Asia/Shanghai', description: 'An IANA time zone name.' })
  @IsString()
  @Length(1, 64)
  timeZone!: string;
}

export class DueExtensionDto {
  @ApiProperty({ example: '2026-12-13T23:59', description: `The student's own due time. ${TIME_HELP}` })
  @IsString()
  @Length(16, 29)
  dueAt!: string;
}
