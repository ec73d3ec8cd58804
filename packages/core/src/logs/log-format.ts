import { ValidationError } from '../errors/index.js';

/**
 * The header formats of the 16 Loghub systems, as written in the LogPAI benchmark settings: `<Name>` is a
 * field, `<Content>` the free-text message; the text between fields is a regular expression (runs of spaces
 * match any whitespace).
 */
export const LOGHUB_LOG_FORMATS = {
  Android: '<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>',
  Apache: '\\[<Time>\\] \\[<Level>\\] <Content>',
  BGL: '<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>',
  HDFS: '<Date> <Time> <Pid> <Level> <Component>: <Content>',
  HPC: '<LogId> <Node> <Component> <State> <Time> <Flag> <Content>',
  Hadoop: '<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>',
  HealthApp: '<Time>\\|<Component>\\|<Pid>\\|<Content>',
  Linux: '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>',
  Mac: '<Month>  <Date> <Time> <User> <Component>\\[<PID>\\]( \\(<Address>\\))?: <Content>',
  OpenSSH: '<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>',
  OpenStack: '<Logrecord> <Date> <Time> <Pid> <Level> <Component> \\[<ADDR>\\] <Content>',
  Proxifier: '\\[<Time>\\] <Program> - <Content>',
  Spark: '<Date> <Time> <Level> <Component>: <Content>',
  Thunderbird: '<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>',
  Windows: '<Date> <Time>, <Level>                  <Component>    <Content>',
  Zookeeper: '<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>',
} as const;

/** Name of one of the 16 Loghub systems. */
export type LoghubSystem = keyof typeof LOGHUB_LOG_FORMATS;

/** Looks a Loghub system up by name, case-insensitively; `undefined` when unknown. */
export function loghubSystem(name: string): LoghubSystem | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(LOGHUB_LOG_FORMATS) as LoghubSystem[]).find((system) => system.toLowerCase() === lower);
}

/** A line split into its header fields and its message. */
export interface ParsedLogLine {
  /** The header fields by name (e.g. `Date`, `Level`); empty when the line did not match the format. */
  fields: Record<string, string>;
  /** The free-text message; the whole line when the line did not match the format. */
  content: string;
  /** Whether the line matched the header format. */
  matched: boolean;
}

/**
 * Splits log lines into header fields and message by a Loghub-style format such as
 * `'<Date> <Time> <Level> <Component>: <Content>'`. Lines that do not match keep the whole line as content
 * (and `matched: false`), so every line still gets a template.
 */
export class LogFormat {
  /** Field names in order of appearance. */
  readonly fields: readonly string[];
  readonly #regex: RegExp;
  readonly #groups: readonly string[];

  constructor(readonly format: string) {
    const parts = format.split(/(<[^<>]+>)/);
    const fields: string[] = [];
    const groups: string[] = [];
    let pattern = '';
    for (const part of parts) {
      const field = /^<([^<>]+)>$/.exec(part);
      if (field) {
        const name = field[1]!;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || fields.includes(name)) {
          throw new ValidationError(
            `log format: field <${name}> must be a unique name of letters, digits and _ (format: ${format})`,
            [{ path: 'logFormat', message: `invalid or repeated field <${name}>`, code: 'custom' }],
          );
        }
        fields.push(name);
        const group = `f${groups.length}`;
        groups.push(name);
        pattern += `(?<${group}>.*?)`;
      } else pattern += part.replace(/ +/g, '\\s+');
    }
    if (!fields.includes('Content')) {
      throw new ValidationError(`log format must contain a <Content> field (format: ${format})`, [
        { path: 'logFormat', message: 'missing <Content>', code: 'custom' },
      ]);
    }
    try {
      this.#regex = new RegExp(`^${pattern}$`);
    } catch (error) {
      throw new ValidationError(`log format is not a valid pattern: ${(error as Error).message} (format: ${format})`, [
        { path: 'logFormat', message: 'invalid pattern', code: 'custom' },
      ]);
    }
    this.fields = fields;
    this.#groups = groups;
  }

  /** The format of a Loghub system. */
  static loghub(system: LoghubSystem): LogFormat {
    return new LogFormat(LOGHUB_LOG_FORMATS[system]);
  }

  /** Splits one line (without its line ending). */
  parse(line: string): ParsedLogLine {
    const match = this.#regex.exec(line.trim());
    if (!match?.groups) return { fields: {}, content: line.trim(), matched: false };
    const fields: Record<string, string> = {};
    this.#groups.forEach((name, index) => {
      fields[name] = (match.groups![`f${index}`] ?? '').trim();
    });
    return { fields, content: fields.Content ?? '', matched: true };
  }
}
