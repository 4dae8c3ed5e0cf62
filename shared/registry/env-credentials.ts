// The registry credentials of the environment, in a module of its own so that stages which load the
// registry client lazily can read them without loading it.
import type { RegistryCredentials } from './open-repository.js';

/**
 * The registry user and password of the environment, MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD:
 * what every stage that reads or writes an oci:// registry uses when its own inputs name none, so one
 * pair of variables (a step's `env:` from the repository's secrets) serves the whole loop.
 */
export function registryCredentialsFromEnv(env: NodeJS.ProcessEnv): Pick<RegistryCredentials, 'username' | 'password'> {
  return {
    ...(env.MLOPS_REGISTRY_USERNAME ? { username: env.MLOPS_REGISTRY_USERNAME } : {}),
    ...(env.MLOPS_REGISTRY_PASSWORD ? { password: env.MLOPS_REGISTRY_PASSWORD } : {}),
  };
}
