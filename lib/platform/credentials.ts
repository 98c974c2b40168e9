import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PlatformChart } from './platform-chart';
import type { CredentialRef } from './platform-settings';

/**
 * The credentials of an environment, as configured in `security.credentials`: which Secret and key
 * hold each one. Components ask for credentials by id and get a reference (env var or file), so no
 * component writes a Secret name; values never appear in the manifests.
 */
export class Credentials {
  /** The credentials of the environment that `scope` renders. */
  public static of(scope: Construct): Credentials {
    return new Credentials(PlatformChart.of(scope).environment.settings.security.credentials);
  }

  constructor(private readonly refs: Readonly<Record<string, CredentialRef>>) {}

  /** True when the credential is configured. */
  public has(id: string): boolean {
    return id in this.refs;
  }

  /** Where a credential lives. Throws for an unknown id (config validation should catch it first). */
  public ref(id: string): CredentialRef {
    const ref = this.refs[id];
    if (!ref) throw new Error(`unknown credential "${id}"; security.credentials defines ${Object.keys(this.refs).join(', ')}`);
    return ref;
  }

  /** An environment variable value read from the credential's Secret key. */
  public env(scope: Construct, id: string): kplus.EnvValue {
    const ref = this.ref(id);
    return kplus.EnvValue.fromSecretValue({ secret: importSecret(scope, ref.secretName), key: ref.key });
  }

  /**
   * A volume holding some credentials as files named after their ids (for `*_file` and `__FILE`
   * settings). All of them must live in the same Secret. `optional`: the pod starts while the
   * Secret or a key is absent (the files are then missing).
   */
  public volume(scope: Construct, volumeName: string, ids: readonly string[], optional = false): kplus.Volume {
    const refs = ids.map((id) => this.ref(id));
    const secretNames = [...new Set(refs.map((r) => r.secretName))];
    if (secretNames.length !== 1) throw new Error(`credentials ${ids.join(', ')} must share one Secret to be mounted together`);
    return kplus.Volume.fromSecret(scope, `volume-${volumeName}`, importSecret(scope, secretNames[0]), {
      name: volumeName,
      defaultMode: 0o440,
      items: Object.fromEntries(refs.map((r, i) => [r.key, { path: ids[i] }])),
      ...(optional ? { optional: true } : {}),
    });
  }
}

/** A reference to an existing Secret, created once per scope. */
function importSecret(scope: Construct, name: string): kplus.ISecret {
  const id = `secret-${name}`;
  const existing = scope.node.tryFindChild(id);
  return (existing as kplus.ISecret | undefined) ?? kplus.Secret.fromSecretName(scope, id, name);
}
