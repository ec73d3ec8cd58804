import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { parsePetshopGraph, parsePetshopMetrics } from './petshop-format.js';
import { pooledBaseline } from './pooled-baseline.js';

describe('PetShop format', () => {
  it('reads the adjacency matrix: row X, column Y = 1 means X calls Y', () => {
    const graph = parsePetshopGraph(',A,B,"C,1"\nA,0.0,1.0,0.0\nB,0.0,0.0,1\n"C,1",0,0,0\n');
    expect(graph.nodes).toEqual(['A', 'B', 'C,1']);
    expect(graph.callees('A')).toEqual(['B']);
    expect(graph.callees('B')).toEqual(['C,1']);
    expect(() => parsePetshopGraph(',A\nA,yes\n')).toThrow(ValidationError);
  });

  it('reads three header rows, the timestamp row and data rows with missing cells', () => {
    const text = [
      'microservice,A,A,A,B',
      'metric,latency,latency,requests,availability',
      'statistic,Average,p99,Sum,Average',
      'unix_timestamp,,,,',
      '100.0,0.5,0.9,10,',
      '400.0,,1.2,12,99.5',
    ].join('\n');
    const metrics = parsePetshopMetrics(text);
    expect(metrics.get('A')!.timestamps).toEqual([100, 400]);
    expect(metrics.get('A')!.values).toEqual({ latency: [0.5, null], 'latency.p99': [0.9, 1.2], requests: [10, 12] });
    expect(metrics.get('B')!.values).toEqual({ availability: [null, 99.5] });
    expect(() => parsePetshopMetrics('a\nb\nc\nunix_timestamp\nnope,1\n')).not.toThrow();
  });

  it('pools the rows before each incident into a baseline', () => {
    const window = { timestamps: [0, 300, 600], values: { latency: [1, 2, 9] } };
    const baseline = pooledBaseline([
      { metrics: new Map([['A', window]]), target: { time: 610 } },
      { metrics: new Map([['A', window]]), target: { time: 310 } },
    ]);
    expect(baseline.get('A')!.values['latency']).toEqual([1, 2, 1]);
  });
});
