import { ValidationError } from '../errors/validation-error.js';
import type { NodeMetrics } from './metric-change.js';
import { createServiceGraph, type CallEdge, type ServiceGraph } from './service-graph.js';

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`${path}: ${message}`, [{ path, message, code: 'custom' }]);
}

/** Splits CSV text into rows of fields (RFC 4180 quotes; CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((fields) => fields.length > 1 || fields[0] !== '');
}

/**
 * Parses a PetShop `graph.csv`: an N×N 0/1 matrix with node names as header and first column, where a 1 in
 * row X, column Y means X calls Y. Throws a `ValidationError` naming the row and column of a bad cell.
 */
export function parsePetshopGraph(text: string): ServiceGraph {
  const rows = parseCsv(text);
  const header = rows[0];
  if (header === undefined || header.length < 2) throw invalid('graph.csv', 'expected a header row of node names');
  const names = header.slice(1);
  const edges: CallEdge[] = [];
  rows.slice(1).forEach((fields, r) => {
    const caller = fields[0] ?? '';
    if (caller === '') throw invalid(`graph.csv.row${r + 2}`, 'the first column must name the calling node');
    fields.slice(1).forEach((cell, c) => {
      const value = Number(cell.trim() === '' ? '0' : cell);
      if (!Number.isFinite(value)) throw invalid(`graph.csv.row${r + 2}.${names[c] ?? c}`, `"${cell}" is not 0 or 1`);
      if (value !== 0 && names[c] !== undefined) edges.push({ caller, callee: names[c]! });
    });
  });
  return createServiceGraph(edges, names);
}

/** Per-node metrics of one PetShop `metrics.csv`. */
export type PetshopMetrics = Map<string, NodeMetrics>;

/** `latency`+`Average` → `latency`, `latency`+`p99` → `latency.p99`, `requests`+`Sum` → `requests`. */
function metricName(metric: string, statistic: string): string {
  return statistic === '' || statistic === 'Average' || statistic === 'Sum' ? metric : `${metric}.${statistic}`;
}

/**
 * Parses a PetShop `metrics.csv`: three header rows (node, metric, statistic), a `unix_timestamp` row, then one
 * row per time step whose first field is the epoch-seconds timestamp. Empty cells are missing values.
 */
export function parsePetshopMetrics(text: string): PetshopMetrics {
  const rows = parseCsv(text);
  const [nodes, metrics, statistics] = rows;
  if (nodes === undefined || metrics === undefined || statistics === undefined)
    throw invalid('metrics.csv', 'expected three header rows (node, metric, statistic)');
  let first = 3;
  while (first < rows.length && !Number.isFinite(Number.parseFloat(rows[first]![0] ?? ''))) first += 1;
  const data = rows.slice(first);
  const timestamps = data.map((fields, r) => {
    const at = Number(fields[0]);
    if (!Number.isFinite(at))
      throw invalid(`metrics.csv.row${first + r + 1}.timestamp`, `"${fields[0]}" is not a number`);
    return at;
  });
  const out: PetshopMetrics = new Map();
  for (let c = 1; c < nodes.length; c += 1) {
    const node = nodes[c]!;
    if (node === '') continue;
    let entry = out.get(node);
    if (entry === undefined) {
      entry = { timestamps, values: {} };
      out.set(node, entry);
    }
    const values = data.map((fields) => {
      const cell = fields[c] ?? '';
      const value = cell.trim() === '' ? Number.NaN : Number(cell);
      return Number.isFinite(value) ? value : null;
    });
    (entry.values as Record<string, Array<number | null>>)[metricName(metrics[c] ?? '', statistics[c] ?? '')] = values;
  }
  return out;
}
