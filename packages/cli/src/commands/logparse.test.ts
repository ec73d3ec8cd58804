import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, temporaryFolder } from '../io/run-cli.test-support.js';
import { parseCsvLine } from '../io/csv.js';

/** Real lines of Loghub's OpenSSH_2k.log (CRLF endings, as in the file). */
const OPENSSH_LINES = [
  'Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!',
  'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186',
  'Dec 10 06:55:48 LabSZ sshd[24200]: Connection closed by 173.234.31.186 [preauth]',
  'Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]',
  'Dec 10 07:07:38 LabSZ sshd[24206]: Invalid user test9 from 52.80.34.196',
  'Dec 10 07:11:42 LabSZ sshd[24224]: Invalid user chen from 202.100.179.208',
  'Dec 10 07:28:03 LabSZ sshd[24245]: Invalid user pgadmin from 112.95.230.3',
  'this line has no sshd header',
];

function rows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => parseCsvLine(line)!);
}

describe('dharma logparse (child process)', () => {
  it('writes LineId,EventId,EventTemplate,Content for every line with a Loghub system format', async () => {
    const folder = temporaryFolder();
    const input = join(folder, 'OpenSSH.log');
    const out = join(folder, 'out.csv');
    writeFileSync(input, OPENSSH_LINES.join('\r\n'));
    const result = await runCli([
      'logparse',
      '--format',
      'loghub',
      '--system',
      'OpenSSH',
      '--input',
      input,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('8 lines');
    expect(result.stderr).toContain('1 lines did not match');
    const [header, ...data] = rows(out);
    expect(header).toEqual(['LineId', 'EventId', 'EventTemplate', 'Content']);
    expect(data.map((row) => row[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(data[1]![2]).toBe('Invalid user <*> from <*>');
    expect(new Set([1, 4, 5, 6].map((index) => data[index]![1])).size).toBe(1);
    expect(data[2]![2]).toBe('Connection closed by <*> [preauth]');
    expect(data[2]![3]).toBe('Connection closed by 173.234.31.186 [preauth]');
    expect(data[7]![3]).toBe('this line has no sshd header');
  });

  it('takes any header format with --log-format', async () => {
    const folder = temporaryFolder();
    const input = join(folder, 'app.log');
    const out = join(folder, 'out.csv');
    writeFileSync(
      input,
      [
        '2026-12-04 10:00:01 WARN: disk /dev/sda1 is 91% full',
        '2026-12-04 10:05:01 WARN: disk /dev/sdb1 is 95% full',
        '2026-12-04 10:06:00 INFO: backup, done',
      ].join('\n'),
    );
    const result = await runCli([
      'logparse',
      '--log-format',
      '<Date> <Time> <Level>: <Content>',
      '--input',
      input,
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const data = rows(out).slice(1);
    expect(data.map((row) => row[2])).toEqual(['disk <*> is <*>% full', 'disk <*> is <*>% full', 'backup, done']);
  });

  it('exits with 2 naming the problem for an unknown system or a missing format', async () => {
    const unknown = await runCli(['logparse', '--system', 'Syslog', '--input', 'x.log', '--out', '-']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--system "Syslog" is not a Loghub system');
    const missing = await runCli(['logparse', '--format', 'loghub', '--input', 'x.log', '--out', '-']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--system NAME or --log-format');
  });
});
