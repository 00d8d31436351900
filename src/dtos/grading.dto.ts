import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Min, ValidateIf } from 'class-validator';

export class OverrideStepDto {
  @ApiProperty({ nullable: true, example: 8, description: 'Points to award; null removes the override' })
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'must be a whole number or null' })
  @Min(0)
  points!: number | null;

  @ApiProperty({ example: 'Solved with a manifest instead of kubectl scale' })
  @IsString()
  @Length(1, 1000)
  comment!: string;
}
