/**
 * File checks: a file of the student's home exists, parses as a manifest of a kind, has a field with a value.
 * Manifests are parsed with the loader's limits (aliases, size), so a student's file cannot stall grading.
 */
import { parseAllDocuments } from 'yaml';
import { FileCheck } from '../format/types';
import { CheckVerdict, KubeObjectJson } from './context';
import { ConditionEnv, evaluateCondition } from './conditions';
import { fillConditions } from './fill-condition';
import { describeCondition, localized } from './phrases';
import { record, text } from './kube';

/** Files larger than this are not parsed: grading reads them after every command. */
const MANIFEST_LIMIT = 256 * 1024;
const MAX_ALIAS_COUNT = 100;

export async function evaluateFile(check: FileCheck, env: ConditionEnv): Promise<CheckVerdict> {
  const path = await env.vars.fill(check.path);
  if (!path.ok) return failed(path.reason);
  const where = `~/${path.value}`;
  if (!env.context.readFile) {
    return failed(
      localized(`${where}: this cluster cannot read your files.`, `${where}：此集群无法读取你的文件。`),
    );
  }
  const content = await env.context.readFile(path.value);
  if (!check.exists) {
    return content === undefined
      ? passed(localized(`${where} does not exist, as required.`, `${where} 不存在，符合要求。`), [])
      : failed(localized(`${where} should not exist, but it does.`, `${where} 不应存在，但它存在。`));
  }
  if (content === undefined) {
    return failed(localized(`${where}: expected a file, found none.`, `${where}：应有此文件，但没有找到。`));
  }
  if (!check.manifest && !check.condition) {
    return passed(localized(`${where} exists.`, `${where} 存在。`), [path.value]);
  }
  const parsed = parseManifests(content);
  if ('error' in parsed) {
    return failed(
      localized(
        `${where} is not valid YAML: ${parsed.error}.`,
        `${where} 不是有效的 YAML：${parsed.error}。`,
      ),
    );
  }
  const wanted = check.manifest?.kind;
  const document = wanted ? parsed.documents.find((doc) => doc.kind === wanted) : parsed.documents[0];
  if (!document) {
    const kinds = parsed.documents.map((doc) => text(doc.kind) ?? '?').join(', ') || 'none';
    return failed(
      localized(
        `${where}: expected a ${wanted ?? 'YAML'} manifest, found kinds: ${kinds}.`,
        `${where}：应包含 ${wanted ?? 'YAML'} 清单，实际的 kind 为：${kinds}。`,
      ),
    );
  }
  const what = wanted ? `${wanted} ${text(record(document.metadata).name) ?? ''}`.trim() : 'manifest';
  if (!check.condition) {
    return passed(localized(`${where} holds a ${what}.`, `${where} 包含 ${what}。`), [path.value]);
  }
  const filled = await fillConditions([check.condition], env.vars);
  if (!filled.ok) return failed(filled.reason);
  const [condition] = filled.conditions;
  const result = await evaluateCondition(condition, document, env);
  const wantedText = describeCondition(condition);
  return result.ok
    ? passed(
        localized(
          `${where}: ${what} has ${wantedText.en}.`,
          `${where}：${what} 满足「${wantedText['zh-CN']}」。`,
        ),
        [path.value],
      )
    : failed(
        localized(
          `${where}: expected ${wantedText.en}, but ${result.actual.en}.`,
          `${where}：期望${wantedText['zh-CN']}，但${result.actual['zh-CN']}。`,
        ),
      );
}

type Parsed = { documents: KubeObjectJson[] } | { error: string };

function parseManifests(content: string): Parsed {
  if (content.length > MANIFEST_LIMIT) return { error: `larger than ${MANIFEST_LIMIT / 1024} KiB` };
  try {
    const documents = parseAllDocuments(content);
    if (!Array.isArray(documents)) return { documents: [] };
    const values: KubeObjectJson[] = [];
    for (const document of documents) {
      if (document.errors.length > 0) return { error: document.errors[0].message.split('\n')[0] };
      const value: unknown = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        values.push({ metadata: {}, ...(value as object) } as KubeObjectJson);
      }
    }
    return { documents: values };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  }
}

function passed(reason: CheckVerdict['reason'], matched: string[]): CheckVerdict {
  return { passed: true, reason, matched };
}

function failed(reason: CheckVerdict['reason']): CheckVerdict {
  return { passed: false, reason, matched: [] };
}
