import { z } from 'zod';
import { parseWith } from '@iac-dharma/core';
import type { Command } from './command.js';

const OptionsSchema = z.object({
  kubeconfig: z.string({ error: 'required: the kubeconfig file of the cluster' }).min(1),
  manifests: z.string({ error: 'required: a folder of YAML manifests (the desired state)' }).min(1),
  namespace: z.string().min(1).optional(),
  json: z.boolean().default(false),
  'field-manager': z.string().min(1).default('iac-dharma'),
});

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** `dharma drift`: compares a folder of manifests with a live cluster; exit 0 when nothing drifted, 1 when something did, 2 on errors. */
export const driftCommand: Command = {
  summary: 'compare Kubernetes manifests with the live cluster (exit 1 on drift)',
  usage: `Usage: dharma drift --kubeconfig <file> --manifests <dir> [--namespace <ns>] [--json] [--field-manager <name>]

Compares the desired state in --manifests (every .yaml/.yml/.json file, recursively) with the cluster
of --kubeconfig. Each object is compared through a server-side apply dry run (dryRun=All), so defaults
the API server fills in and fields controllers own are not drift; fields other managers added by hand
(read from managedFields) are. --namespace is the namespace of manifests that name none and the only
namespace watched for unexpected objects.

Prints one line per drifted object:
  changed <namespace>/<Kind>/<name> <field>: <desired> -> <live>; ...
  missing <namespace>/<Kind>/<name>
  unexpected <namespace>/<Kind>/<name>
or, with --json, one JSON object per line ({ id, kind, namespace, name, drift, fields, risk }).

Exit status: 0 nothing drifted, 1 something drifted, 2 bad arguments or the cluster could not be read.`,
  options: {
    kubeconfig: { type: 'string' },
    manifests: { type: 'string' },
    namespace: { type: 'string' },
    json: { type: 'boolean' },
    'field-manager': { type: 'string' },
  },
  async run(values) {
    try {
      const options = parseWith(OptionsSchema, values, 'dharma drift options');
      // Loaded only when this command runs: the other commands do not pay for the Kubernetes client.
      const { DriftDetector } = await import('@iac-dharma/kubernetes');
      const detector = new DriftDetector({
        client: options.kubeconfig,
        manifests: options.manifests,
        fieldManager: options['field-manager'],
        ...(options.namespace ? { namespace: options.namespace } : {}),
      });
      const report = await detector.detect();
      for (const entry of report.drifted) {
        if (options.json) {
          const { id, apiVersion, kind, namespace, name, drift, risk } = entry;
          process.stdout.write(
            `${JSON.stringify({ id, apiVersion, kind, namespace, name, drift, fields: entry.fields.map(({ steps: _steps, ...field }) => field), risk })}\n`,
          );
        } else {
          const fields = entry.fields
            .map((field) => `${field.path}: ${show(field.desired)} -> ${show(field.live)}`)
            .join('; ');
          process.stdout.write(`${entry.drift} ${entry.id}${fields ? ` ${fields}` : ''}\n`);
        }
      }
      process.stderr.write(`dharma drift: ${report.checked} object(s) checked, ${report.drifted.length} drifted\n`);
      return report.drifted.length > 0 ? 1 : 0;
    } catch (error) {
      process.stderr.write(`dharma drift: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  },
};
