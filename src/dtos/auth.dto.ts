import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';
import type { Role, User } from '../shared/http-api';

export class LoginDto {
  @ApiProperty({ example: 'student1@kubelab.local' })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'kubelab-demo' })
  @IsString()
  @Length(1, 200)
  password!: string;
}

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.edu' })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 8, maxLength: 200, example: 'correct horse battery' })
  @IsString()
  @MinLength(8, { message: 'must be at least 8 characters' })
  @MaxLength(200)
  password!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiPropertyOptional({ description: 'Join a course right away', example: 'K7M2QX9A' })
  @IsOptional()
  @IsString()
  @Length(4, 32)
  joinCode?: string;
}

export class CreateUserDto extends RegisterDto {
  @ApiProperty({ enum: ['student', 'instructor', 'admin'], example: 'instructor' })
  @IsIn(['student', 'instructor', 'admin'])
  role!: 'student' | 'instructor' | 'admin';
}

/** The OpenAPI description of the shared `User` response. */
export class UserDto implements User {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['student', 'instructor', 'admin'] }) role!: Role;
}
