import { Body, Controller, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateUserDto, UserDto } from '../dtos/auth.dto';
import { CurrentUser, Roles } from '../middleware/auth.guard';
import { AuthService, AuthUser } from '../services/auth.service';
import type { User } from '../shared/http-api';
import { ApiAnswer, ApiErrors } from './api-docs';
import { userExample } from './api-examples';

@ApiTags('users')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller('users')
export class UserController {
  constructor(private readonly auth: AuthService) {}

  /** Admins create instructor (and other) accounts; students register themselves. */
  @ApiOperation({ summary: 'Create an account of any role (admins)' })
  @ApiAnswer(201, { ...userExample, role: 'instructor' }, { type: UserDto })
  @ApiErrors(
    400,
    [403, 'Only an admin creates accounts', 'This needs the admin role.'],
    [409, 'An account with this email already exists'],
  )
  @Post()
  @Roles('admin')
  create(@CurrentUser() actor: AuthUser, @Body() body: CreateUserDto): Promise<User> {
    return this.auth.createUser(actor, body);
  }
}
