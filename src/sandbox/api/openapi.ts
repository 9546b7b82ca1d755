/**
 * Just enough OpenAPI v3 for `kubectl apply` with its default validation:
 * kubectl looks for a PATCH operation of the object's group/version/kind that
 * takes a `fieldValidation` parameter, and then leaves validation to the
 * server (which, here, accepts unknown fields).
 */
import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceTypes } from './resource-types.js';

const pathKey = (group: string, version: string) => (group ? `apis/${group}/${version}` : 'api/v1');

export function openApiIndex(types: ResourceTypes) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of types.groupVersions()) {
    const key = pathKey(gv.group, gv.version);
    const hash = createHash('sha256').update(gv.types.map((t) => t.kind).join(',')).digest('hex').slice(0, 16).toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}

export function openApiGroupVersion(types: ResourceTypes, key: string) {
  const gv = types.groupVersions().find((x) => pathKey(x.group, x.version) === key);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const prefix = gv.group ? `/apis/${gv.group}/${gv.version}` : '/api/v1';
  for (const rt of gv.types) {
    const gvk = { group: gv.group, version: gv.version, kind: rt.kind };
    const schemaName = `${gv.group || 'core'}.${gv.version}.${rt.kind}`;
    schemas[schemaName] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [gvk],
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    };
    const item = rt.namespaced ? `${prefix}/namespaces/{namespace}/${rt.plural}/{name}` : `${prefix}/${rt.plural}/{name}`;
    const op = (action: string) => ({
      operationId: `${action}${rt.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: [
        { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
        { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
      ],
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } } } },
    });
    paths[item] = { get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: apiVersionOf(gv) },
    paths,
    components: { schemas },
  };
}
