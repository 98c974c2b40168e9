import { createHash } from 'node:crypto';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** Properties of a VersionedConfigMap. */
export interface VersionedConfigMapProps {
  /** Base name; the rendered name is `<baseName>-<version>`. */
  readonly baseName: string;
  /** The data. Keys are file names or variable names. */
  readonly data: Readonly<Record<string, string>>;
}

/** The content hash of ConfigMap data: 10 hex characters of SHA-256 over sorted keys and values. */
export function contentVersion(data: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data).sort()) hash.update(`${key}\0${data[key]}\0`);
  return hash.digest('hex').slice(0, 10);
}

/**
 * An immutable ConfigMap whose name carries a hash of its content. A changed value gives a new
 * name, so every pod template that references it changes and rolls; the old ConfigMap stays for
 * rollback until pruned. The version is also what consumers put in their config-version annotation.
 */
export class VersionedConfigMap extends Construct {
  /** The content hash. */
  public readonly version: string;
  /** The rendered name, `<baseName>-<version>`. */
  public readonly name: string;
  /** The ConfigMap. */
  public readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: VersionedConfigMapProps) {
    super(scope, id);
    this.version = contentVersion(props.data);
    this.name = `${props.baseName}-${this.version}`;
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: this.name, annotations: { 'suoke.life/config-version': this.version } },
      data: { ...props.data },
      immutable: true,
    });
  }
}
