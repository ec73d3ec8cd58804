/** Name of the remediation plugin wrapping the infrastructure provider. */
export const INFRASTRUCTURE_PLUGIN = 'infrastructure';
