import { Body, Controller, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateUserDto, UserDto } from '../dtos/auth.dto';
import { CurrentUser, Roles } from '../middleware/auth.guard';
import { AuthService, AuthUser } from '../services/auth.service';
import type { User } from '../shared/http-api';

@ApiTags('users')
@ApiCookieAuth()
@Controller('users')
export class UserController {
  constructor(private readonly auth: AuthService) {}

  /** Admins create instructor (and other) accounts; students register themselves. */
  @Post()
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  create(@CurrentUser() actor: AuthUser, @Body() body: CreateUserDto): Promise<User> {
    return this.auth.createUser(actor, body);
  }
}
