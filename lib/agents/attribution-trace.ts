import * as yaml from 'js-yaml';
import type { Contract } from '../contracts/contract';
import { selectorMatches } from '../platform/pod-specs';
import type { KubeObject } from '../platform/kube-object';
import { MANAGER_MODEL_PROVIDER } from './render-agents-yaml';
import { WORKFLOW_FILE_DIR } from './workflow-runtime';

/**
 * Traces, from the rendered manifests alone, the identity every caller of every workflow carries
 * to the gateway: from its `llm.model` (or `manager_llm`) in the workflow's agents.yaml, through
 * the runtime's environment (which gateway, which key), to the gateway's config.yaml (its model
 * group and budget) and the key registration (its alias), and so to the labels LiteLLM puts on
 * its calls. Any broken link is a problem naming the object and what was found.
 *
 * What each link relies on:
 * - PraisonAI 4.7.0 (contracts/praisonai/4.7.0.yaml): a role's model without `/` is sent unchanged
 *   through the OpenAI client to OPENAI_API_BASE with OPENAI_API_KEY (llmRouting.
 *   agentModelWithoutSlash, envVars.OPENAI_API_BASE, envVars.OPENAI_API_KEY); a manager's
 *   `openai/<name>` reaches the same base URL as `<name>` (llmRouting.hierarchicalManagerGatewayModel).
 * - LiteLLM v1.81.0-stable: the router records the requested model as the call's model group
 *   (litellm/router.py:1662-1681, `_update_kwargs_before_fallbacks`); Prometheus labels proxy
 *   requests and failures with the request's model as `requested_model` (litellm/integrations/
 *   prometheus.py:1574, 1623) and tokens and latency with the model group (lines 923-924), and
 *   every metric with the key alias as `api_key_alias` (lines 889, 1571, 1622); spend logs store
 *   the model group (litellm/proxy/spend_tracking/spend_tracking_utils.py:310, 428; column
 *   `model_group`, schema.prisma:406). Deployment budgets are counted per `model_info.id`
 *   (litellm/router_strategy/budget_limiter.py:384-394, 762-795).
 */

/** The labels a caller's calls carry in LiteLLM's metrics (and the spend log's model_group and key alias). */
export interface CallerLabels {
  /** `requested_model` (and `model_group` of tokens, latency and spend logs): the caller's gateway model name. */
  readonly requested_model: string;
  /** `api_key_alias`: the workflow's key alias. */
  readonly api_key_alias: string;
}

/** One caller of one workflow, traced link by link. */
export interface AttributionTrace {
  /** Workflow id (its agents.yaml file name without `.yaml`). */
  readonly workflow: string;
  /** Where in agents.yaml the model is set: `roles.xiaoai.llm.model`, `manager_llm`. */
  readonly field: string;
  /** Link 1, agents.yaml: the value written there. */
  readonly agentsYaml: string;
  /** What PraisonAI sends as the request's `model`. */
  readonly requestModel: string;
  /** Link 2, the runtime: the Deployment, the base URL it calls and the Secret key it sends. */
  readonly runtime: { readonly deployment: string; readonly baseUrl: string; readonly apiKey: string };
  /** Link 3, the gateway: the Service the URL names, its config ConfigMap, and the model group serving the name. */
  readonly gateway: {
    readonly service: string;
    readonly configMap: string;
    readonly modelGroup: string;
    readonly deploymentIds: readonly string[];
    readonly budgetPerDeployment: number;
    readonly budgetDuration: string;
  };
  /** Link 4, the key: its alias and whether it may call the model group. */
  readonly key: { readonly alias: string; readonly models: readonly string[] };
  /** The result: the labels every call of this caller carries. */
  readonly labels: CallerLabels;
}

/** Traces and problems of one environment's manifests. */
export interface AttributionReport {
  readonly traces: readonly AttributionTrace[];
  readonly problems: readonly string[];
}

const byKind = (objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const envValue = (container: any, name: string) => (container.env ?? []).find((e: any) => e.name === name);

/**
 * Traces every caller of every workflow runtime (Deployments whose container runs `serve agents`)
 * in one environment's rendered objects.
 */
export function traceAttribution(objects: readonly KubeObject[], praisonai: Contract): AttributionReport {
  const problems: string[] = [];
  const traces: AttributionTrace[] = [];
  for (const fact of [
    ['llmRouting', 'agentModelWithoutSlash'],
    ['llmRouting', 'hierarchicalManagerGatewayModel'],
    ['envVars', 'OPENAI_API_BASE'],
    ['envVars', 'OPENAI_API_KEY'],
  ]) {
    if (!praisonai.has(fact[0], fact[1]))
      problems.push(`${praisonai.file}: expected the fact ${fact.join('.')} the trace rests on, found none`);
  }
  const configMaps = new Map(byKind(objects, 'ConfigMap').map((c) => [c.metadata.name, c]));
  const keyJob = byKind(objects, 'Job').find((j) =>
    (j.spec.template.spec.volumes ?? []).some((v: any) => v.configMap && configMaps.get(v.configMap.name)?.data?.['keys.json']),
  );
  const keys: any[] = keyJob
    ? JSON.parse(
        configMaps.get(
          keyJob.spec.template.spec.volumes.find((v: any) => v.configMap && configMaps.get(v.configMap.name)?.data?.['keys.json']).configMap
            .name,
        )!.data['keys.json'],
      )
    : [];
  if (!keyJob) problems.push('expected a Job registering the workflow keys (keys.json), found none');

  for (const deployment of byKind(objects, 'Deployment')) {
    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];
    const args: string[] = container.args ?? [];
    if (args[0] !== 'serve' || args[1] !== 'agents') continue;
    const where = `Deployment ${deployment.metadata.name}`;
    const filePath = args[args.indexOf('--file') + 1] ?? '';
    const fileName = filePath.slice(WORKFLOW_FILE_DIR.length + 1);
    const mount = container.volumeMounts.find((m: any) => m.mountPath === WORKFLOW_FILE_DIR);
    const volume = mount && pod.spec.volumes.find((v: any) => v.name === mount.name);
    const text: string | undefined = volume?.configMap && configMaps.get(volume.configMap.name)?.data?.[fileName];
    if (!text) {
      problems.push(
        `${where}: expected --file ${filePath} in a ConfigMap mounted at ${WORKFLOW_FILE_DIR}, found ${volume?.configMap ? `ConfigMap ${volume.configMap.name} without ${fileName}` : 'no such mount'}`,
      );
      continue;
    }
    const workflow = fileName.replace(/\.yaml$/, '');
    const file = yaml.load(text) as any;

    // Link 2: the base URL and the key of the process.
    const base = envValue(container, 'OPENAI_API_BASE')?.value;
    const baseUrl2 = envValue(container, 'OPENAI_BASE_URL')?.value;
    if (base !== baseUrl2)
      problems.push(
        `${where}: expected OPENAI_API_BASE and OPENAI_BASE_URL to name the same gateway, found ${JSON.stringify(base)} and ${JSON.stringify(baseUrl2)}`,
      );
    const url = /^http:\/\/([a-z0-9-]+):([0-9]+)$/.exec(base ?? '');
    const service =
      url && byKind(objects, 'Service').find((s) => s.metadata.name === url[1] && s.spec.ports.some((p: any) => p.port === Number(url[2])));
    const gatewayDeployment =
      service &&
      byKind(objects, 'Deployment').find((d) => selectorMatches({ matchLabels: service.spec.selector }, d.spec.template.metadata.labels));
    const gatewayConfigName: string | undefined = gatewayDeployment?.spec.template.spec.volumes?.find(
      (v: any) => v.configMap && configMaps.get(v.configMap.name)?.data?.['config.yaml'],
    )?.configMap.name;
    if (!service || !gatewayConfigName) {
      problems.push(
        `${where}: expected OPENAI_API_BASE to be the URL of the gateway's Service (a Service on that port selecting the pods that run LiteLLM's config.yaml), found ${JSON.stringify(base)}`,
      );
      continue;
    }
    const gatewayConfig = yaml.load(configMaps.get(gatewayConfigName)!.data['config.yaml']) as any;
    const keyRef = envValue(container, 'OPENAI_API_KEY')?.valueFrom?.secretKeyRef;
    const keyEnv = keyJob?.spec.template.spec.containers[0].env.find(
      (e: any) =>
        e.valueFrom?.secretKeyRef && keyRef && e.valueFrom.secretKeyRef.name === keyRef.name && e.valueFrom.secretKeyRef.key === keyRef.key,
    )?.name;
    const key = keys.find((k) => k.keyEnv === keyEnv);
    if (!keyRef || !key) {
      problems.push(
        `${where}: expected OPENAI_API_KEY from a Secret key the key Job registers, found ${keyRef ? `${keyRef.name}/${keyRef.key}, which it does not register` : 'no Secret reference'}`,
      );
      continue;
    }
    if (key.key_alias !== workflow)
      problems.push(`${where}: expected the key's alias to be the workflow id ${workflow}, found ${JSON.stringify(key.key_alias)}`);

    // Link 1: every model the file names, as PraisonAI sends it.
    const fields: { field: string; value: string; manager: boolean }[] = [
      ...Object.entries<any>(file.roles ?? {}).map(([role, r]) => ({
        field: `roles.${role}.llm.model`,
        value: String(r.llm?.model ?? ''),
        manager: false,
      })),
      ...(file.manager_llm !== undefined ? [{ field: 'manager_llm', value: String(file.manager_llm), manager: true }] : []),
    ];
    for (const f of fields) {
      const at = `${where}: ${fileName}: ${f.field}`;
      let requestModel: string;
      if (f.manager) {
        if (!f.value.startsWith(MANAGER_MODEL_PROVIDER) || f.value.slice(MANAGER_MODEL_PROVIDER.length).includes('/')) {
          problems.push(
            `${at}: expected "${MANAGER_MODEL_PROVIDER}<gateway model name>" (the manager calls through the LiteLLM SDK, which needs the provider to use OPENAI_API_BASE), found ${JSON.stringify(f.value)}`,
          );
          continue;
        }
        requestModel = f.value.slice(MANAGER_MODEL_PROVIDER.length);
      } else {
        if (f.value.includes('/')) {
          problems.push(
            `${at}: expected a gateway model name without "/" (a "/" sends the call through the LiteLLM SDK, past the gateway for other providers), found ${JSON.stringify(f.value)}`,
          );
          continue;
        }
        requestModel = f.value;
      }

      // Link 3: the gateway serves the name as its own group, with a budget, and nothing renames it.
      const entries: any[] = (gatewayConfig.model_list ?? []).filter((m: any) => m.model_name === requestModel);
      const aliased = gatewayConfig.router_settings?.model_group_alias?.[requestModel];
      const fallsBack = [
        ...(gatewayConfig.router_settings?.fallbacks ?? []),
        ...(gatewayConfig.router_settings?.context_window_fallbacks ?? []),
      ].some((x: any) => requestModel in x);
      if (entries.length === 0) {
        problems.push(
          `${at}: expected ConfigMap ${gatewayConfigName} (config.yaml) to serve the model group ${requestModel}, found no model_list entry named so`,
        );
        continue;
      }
      const unbudgeted = entries
        .filter((e) => typeof e.litellm_params?.max_budget !== 'number' || !e.litellm_params?.budget_duration)
        .map((e) => e.model_info?.id);
      if (unbudgeted.length)
        problems.push(
          `${at}: expected every deployment of ${requestModel} to carry max_budget and budget_duration, found none on ${unbudgeted.join(', ')}`,
        );
      if (aliased !== undefined)
        problems.push(
          `${at}: expected ${requestModel} to be served under its own name, found router_settings.model_group_alias mapping it to ${JSON.stringify(aliased)}`,
        );
      if (fallsBack)
        problems.push(
          `${at}: expected no fallbacks for ${requestModel} (a fallback runs the call outside its budget, under another group's name), found some`,
        );

      // Link 4: the key may call it.
      if (key.models.length > 0 && !key.models.includes(requestModel))
        problems.push(`${at}: expected the key of ${workflow} to allow ${requestModel}, found models ${JSON.stringify(key.models)}`);

      traces.push({
        workflow,
        field: f.field,
        agentsYaml: f.value,
        requestModel,
        runtime: { deployment: deployment.metadata.name, baseUrl: base, apiKey: `${keyRef.name}/${keyRef.key}` },
        gateway: {
          service: service.metadata.name,
          configMap: gatewayConfigName,
          modelGroup: requestModel,
          deploymentIds: entries.map((e) => e.model_info?.id),
          budgetPerDeployment: entries[0].litellm_params?.max_budget,
          budgetDuration: entries[0].litellm_params?.budget_duration,
        },
        key: { alias: key.key_alias, models: key.models },
        labels: { requested_model: requestModel, api_key_alias: key.key_alias },
      });
    }
  }
  return { traces, problems };
}
