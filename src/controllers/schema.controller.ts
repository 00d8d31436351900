import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { openApiV3GroupVersion, openApiV3Root } from '../engine/http/openapi';
import { ApiAnswer, ApiErrors } from './api-docs';
import { schemaDocumentExample, schemaRootExample } from './api-examples';

/**
 * The OpenAPI v3 documents the lab's Kubernetes serves (the engine's own, as `kubectl explain` and
 * `--validate` read them), for the editor's completion and validation of manifests. Paths mirror the
 * API server's: /schema/openapi/v3 lists the group-versions, then api/v1 and apis/<group>/<version>.
 */
@ApiTags('schema')
@ApiCookieAuth()
@ApiErrors(401, 503)
@Controller('schema/openapi/v3')
export class SchemaController {
  @ApiOperation({ summary: 'The group-versions whose OpenAPI v3 documents the lab cluster serves' })
  @ApiAnswer(200, schemaRootExample)
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

  @ApiOperation({ summary: 'The OpenAPI v3 document of the core group (api/v1)' })
  @ApiParam({ name: 'version', example: 'v1' })
  @ApiAnswer(200, schemaDocumentExample)
  @ApiErrors([404, 'No OpenAPI document for that version', 'No OpenAPI document for v2.'])
  @Get('api/:version')
  @Header('Cache-Control', 'private, max-age=3600')
  core(@Param('version') version: string): unknown {
    return documentOf('', version);
  }

  @ApiOperation({ summary: 'The OpenAPI v3 document of a named group-version (apis/apps/v1)' })
  @ApiParam({ name: 'group', example: 'apps' })
  @ApiParam({ name: 'version', example: 'v1' })
  @ApiAnswer(200, schemaDocumentExample)
  @ApiErrors([404, 'No OpenAPI document for that group-version', 'No OpenAPI document for apps/v9.'])
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
