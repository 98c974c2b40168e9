import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1';

/** One key of the Kubernetes Secret and where it comes from in the secret manager. */
export interface ExternalSecretKey {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** Key of the remote secret. */
  readonly remoteKey: string;
  /** Property inside the remote secret. */
  readonly remoteProperty: string;
}

/** Properties of an ExternalSecretMapping. */
export interface ExternalSecretMappingProps {
  /** Name of the Kubernetes Secret to create (and of the ExternalSecret). */
  readonly secretName: string;
  /** The store to read from. */
  readonly store: { readonly kind: 'ClusterSecretStore' | 'SecretStore'; readonly name: string };
  /** How often the operator re-reads the remote values. */
  readonly refreshInterval: string;
  /** The keys to map. */
  readonly keys: readonly ExternalSecretKey[];
}

/**
 * An External Secrets Operator `ExternalSecret` that creates one Kubernetes Secret from a
 * (Cluster)SecretStore. Built from the typed, schema-validated model of
 * `@kubernetes-models/external-secrets`, so a wrong field fails at synth time.
 */
export class ExternalSecretMapping extends Construct {
  constructor(scope: Construct, id: string, props: ExternalSecretMappingProps) {
    super(scope, id);
    const model = new ExternalSecret({
      metadata: { name: props.secretName },
      spec: {
        secretStoreRef: { kind: props.store.kind, name: props.store.name },
        refreshInterval: props.refreshInterval,
        target: { name: props.secretName, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: props.keys.map((k) => ({ secretKey: k.secretKey, remoteRef: { key: k.remoteKey, property: k.remoteProperty } })),
      },
    });
    model.validate();
    const { apiVersion, kind, metadata, ...rest } = model.toJSON();
    new ApiObject(this, 'Resource', { apiVersion, kind, metadata: { ...metadata }, ...rest });
  }
}
