import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateCourseDto {
  @ApiProperty({ example: 'DevOps 导论' })
  @IsString()
  @Length(1, 200)
  title!: string;
}

export class JoinCourseDto {
  @ApiProperty({ example: 'K7M2QX9A' })
  @IsString()
  @Length(4, 32)
  joinCode!: string;
}
