import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { contentVersion } from '../platform/versioned-config-map';
import { LAYER_BASE_NAMES, LAYER_NAMES, type LayerName } from './layer-data';

/** One rendered layer: its data, content version and hashed ConfigMap name. */
export interface RenderedLayer {
  readonly layer: LayerName;
  readonly data: Readonly<Record<string, string>>;
  readonly version: string;
  readonly configMapName: string;
}

/** Annotation on a consumer's pod template recording the version of a layer it runs. */
export function layerVersionAnnotation(layer: LayerName): string {
  return `suoke.life/config-version-${layer}`;
}

/** What a workload that consumes some layers reads them through. */
export interface LayerConsumer {
  /** Pod template annotations recording the version of each consumed layer. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Every key of every consumed layer as environment variables (`envFrom`). */
  envFrom(): kplus.EnvFrom[];
  /** One key of a consumed layer as an environment variable value. */
  env(layer: LayerName, key: string): kplus.EnvValue;
  /** A consumed layer as a volume of files, one per key. */
  volume(layer: LayerName, volumeName: string): kplus.Volume;
}

/**
 * The one way workloads consume the configuration layers. It holds the layers of an environment
 * (pure data: every key every component publishes, lib/registry.ts), and gives each consumer
 * (`consumer()`) env sources, volumes and version annotations that name the hashed ConfigMaps, so
 * no component writes a layer ConfigMap name itself. Because the names carry content hashes, a
 * changed value changes exactly the pod templates that consume that layer, and Kubernetes rolls them.
 * Components get it by reference from the layers component (`use(layers).layers`).
 */
export class ConfigLayers {
  private readonly rendered: Record<LayerName, RenderedLayer>;

  /** The layers with this data, by layer. */
  constructor(data: Readonly<Record<LayerName, Readonly<Record<string, string>>>>) {
    const entry = (layer: LayerName): RenderedLayer => {
      const version = contentVersion(data[layer]);
      return { layer, data: data[layer], version, configMapName: `${LAYER_BASE_NAMES[layer]}-${version}` };
    };
    this.rendered = Object.fromEntries(LAYER_NAMES.map((l) => [l, entry(l)])) as Record<LayerName, RenderedLayer>;
  }

  /** A rendered layer. */
  public layer(layer: LayerName): RenderedLayer {
    return this.rendered[layer];
  }

  /**
   * Declares that a workload consumes some layers, and gives it what it needs to read them. The
   * version annotations follow from the declaration, so a workload cannot read a layer without
   * rolling when that layer changes.
   */
  public consumer(scope: Construct, layers: readonly LayerName[]): LayerConsumer {
    const declared = new Set(layers);
    const check = (layer: LayerName) => {
      if (!declared.has(layer))
        throw new Error(`${scope.node.path}: reads the ${layer} layer without declaring it (declared: ${layers.join(', ')})`);
    };
    return {
      annotations: Object.fromEntries(layers.map((l) => [layerVersionAnnotation(l), this.rendered[l].version])),
      envFrom: () => layers.map((l) => kplus.Env.fromConfigMap(this.importConfigMap(scope, l))),
      env: (layer, key) => {
        check(layer);
        if (!(key in this.rendered[layer].data)) throw new Error(`the ${layer} layer has no key ${key}`);
        return kplus.EnvValue.fromConfigMap(this.importConfigMap(scope, layer), key);
      },
      volume: (layer, volumeName) => {
        check(layer);
        return kplus.Volume.fromConfigMap(scope, `layer-volume-${volumeName}`, this.importConfigMap(scope, layer), { name: volumeName });
      },
    };
  }

  private importConfigMap(scope: Construct, layer: LayerName): kplus.IConfigMap {
    const id = `layer-${layer}`;
    const existing = scope.node.tryFindChild(id) as kplus.IConfigMap | undefined;
    return existing ?? kplus.ConfigMap.fromConfigMapName(scope, id, this.rendered[layer].configMapName);
  }
}
