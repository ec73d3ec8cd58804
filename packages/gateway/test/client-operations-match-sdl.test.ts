import { operations, selections } from '@iac-dharma/client';
import {
  buildSchema,
  parse,
  validate,
  type FieldNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
} from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { typeDefs } from '../src/index.js';

const schema = buildSchema(typeDefs);

/** SDL fields the client deliberately leaves out (relations back to the parent, to keep results finite). */
const OMITTED: Record<string, string[]> = {
  Compute: ['infrastructure'],
  Deployment: ['infrastructure'],
  Infrastructure: ['compute', 'deployments'],
};

describe('@iac-dharma/client operations against the gateway SDL', () => {
  it('has a method for every root field of the schema', () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.keys(type!.getFields()),
    );
    expect(
      Object.values(operations)
        .map((operation) => operation.field)
        .sort(),
    ).toEqual(roots.sort());
  });

  it.each(Object.entries(operations))('%s is valid against the schema', (_name, operation) => {
    expect(validate(schema, parse(operation.document)).map((error) => error.message)).toEqual([]);
  });

  it('selects every field of each result type (the hand-written types mirror the SDL)', () => {
    const check = (typeName: string, selection: string, omitted: string[] = OMITTED[typeName] ?? []) => {
      const type = schema.getType(typeName) as GraphQLObjectType;
      const document = parse(`{ probe ${selection} }`);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const probe = operation.selectionSet.selections[0] as FieldNode;
      const names = (probe.selectionSet?.selections ?? []).map((field) => (field as FieldNode).name.value).sort();
      const expected = Object.keys(type.getFields())
        .filter((field) => !omitted.includes(field))
        .sort();
      expect(names, typeName).toEqual(expected);
    };
    check('Infrastructure', selections.infrastructure);
    check('Infrastructure', selections.infrastructureDetail, []);
    check('Compute', selections.compute);
    check('Deployment', selections.deployment);
    check('Metric', selections.metric);
    check('Prediction', selections.prediction);
    check('AnomalyEvent', selections.anomalyEvent);
    check('RemediationResult', selections.remediationResult);
    check('RemediationRecord', selections.remediationRecord);
    check('ScaleResult', selections.scaleResult);
    check('IngestResult', selections.ingestResult);
    check('StatusChange', selections.statusChange);
  });
});
