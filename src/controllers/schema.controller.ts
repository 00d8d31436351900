import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { openApiV3GroupVersion, openApiV3Root } from '../engine/http/openapi';

/**
 * The OpenAPI v3 documents the lab's Kubernetes serves (the engine's own, as `kubectl explain` and
 * `--validate` read them), for the editor's completion and validation of manifests. Paths mirror the
 * API server's: /schema/openapi/v3 lists the group-versions, then api/v1 and apis/<group>/<version>.
 */
@ApiTags('schema')
@ApiCookieAuth()
@Controller('schema/openapi/v3')
export class SchemaController {
  @Get()
  @Header('Cache-Control', 'private, max-age=3600')
  root(): unknown {
    // The engine's index points at its own server's paths; these are served here instead.
    const { paths } = openApiV3Root() as { paths: Record<string, { serverRelativeURL: string }> };
    const here: Record<string, { serverRelativeURL: string }> = {};
    for (const [path, { serverRelativeURL }] of Object.entries(paths))
      here[path] = {
        serverRelativeURL: serverRelativeURL.replace(/^\/openapi\/v3\//, '/api/schema/openapi/v3/'),
      };
    return { paths: here };
  }

  @Get('api/:version')
  @Header('Cache-Control', 'private, max-age=3600')
  core(@Param('version') version: string): unknown {
    return documentOf('', version);
  }

  @Get('apis/:group/:version')
  @Header('Cache-Control', 'private, max-age=3600')
  group(@Param('group') group: string, @Param('version') version: string): unknown {
    return documentOf(group, version);
  }
}

function documentOf(group: string, version: string): unknown {
  const document = openApiV3GroupVersion(group, version);
  if (!document)
    throw new NotFoundException(`No OpenAPI document for ${group ? `${group}/` : ''}${version}.`);
  return document;
}
