import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory-storage.js';
import { LogTemplateMiner } from './log-template-miner.js';
import { collapseDates, foldUnits, maskWord } from './log-tokens.js';

/** Messages of real OpenSSH lines (Loghub-2k, OpenSSH_2k.log), in file order. */
const OPENSSH = [
  'reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!',
  'Invalid user webmaster from 173.234.31.186',
  'input_userauth_request: invalid user webmaster [preauth]',
  'pam_unix(sshd:auth): check pass; user unknown',
  'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186',
  'Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2',
  'Connection closed by 173.234.31.186 [preauth]',
  'Connection closed by 212.47.254.145 [preauth]',
  'Invalid user test9 from 52.80.34.196',
  'input_userauth_request: invalid user test9 [preauth]',
  'pam_unix(sshd:auth): check pass; user unknown',
  'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=ec2-52-80-34-196.cn-north-1.compute.amazonaws.com.cn',
  'Invalid user chen from 202.100.179.208',
  'Invalid user pgadmin from 112.95.230.3',
  'Invalid user utsims from 112.95.230.3',
];

describe('maskWord', () => {
  it('masks runs with digits, paths and booleans, keeps words and names with a digit', () => {
    expect(maskWord('blk_-6952295868487656571')).toBe('<*>');
    expect(maskWord('[173.234.31.186]')).toBe('[<*>]');
    expect(maskWord('10.251.73.220:50010')).toBe('<*>');
    expect(maskWord('uid=0')).toBe('uid=<*>');
    expect(maskWord('/etc/httpd/conf/workers2.properties')).toBe('<*>');
    expect(maskWord('isOverlap:false,')).toBe('isOverlap:<*>,');
    expect(maskWord('ssh2')).toBe('ssh2');
    expect(maskWord('jk2_init()')).toBe('jk2_init()');
    expect(maskWord('()')).toBe('(<*>)');
    expect(maskWord('preauth')).toBe('preauth');
  });

  it('folds a size unit into the number before it', () => {
    expect(foldUnits(['size', '<*>', 'KB,', 'free', '<*>', 'B)'])).toEqual(['size', '<*>,', 'free', '<*>)']);
    expect(foldUnits(['plan', 'B', 'failed'])).toEqual(['plan', 'B', 'failed']);
  });

  it('turns a date written over several words into one variable', () => {
    expect(
      collapseDates(
        'connection from 24.54.76.216 () at Fri Jun 17 20:55:07 2005'.split(' '),
        'Fri Jun 17 20:55:07 2005',
      ),
    ).toEqual(['connection', 'from', '24.54.76.216', '()', 'at', '<*>']);
    const words = ['May', 'I', 'help'];
    expect(collapseDates(words, 'May I help')).toBe(words);
  });
});

describe('LogTemplateMiner', () => {
  it('groups real OpenSSH messages and learns the user name as a variable from three siblings', () => {
    const miner = new LogTemplateMiner();
    const ids = OPENSSH.map((message) => miner.add(message).id);
    const invalidUser = [1, 8, 12, 13, 14].map((index) => miner.resolve(ids[index]!));
    expect(new Set(invalidUser).size).toBe(1);
    expect(miner.template(invalidUser[0]!)!.template).toBe('Invalid user <*> from <*>');
    expect(miner.template(ids[6]!)!.template).toBe('Connection closed by <*> [preauth]');
    expect(miner.resolve(ids[6]!)).toBe(miner.resolve(ids[7]!));
    expect(miner.template(ids[4]!)!.template).toBe(
      'pam_unix(sshd:auth): authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*>',
    );
    expect(miner.resolve(ids[4]!)).toBe(miner.resolve(ids[11]!));
    expect(miner.resolve(ids[0]!)).not.toBe(miner.resolve(ids[1]!));
    expect(miner.template(invalidUser[0]!)!.count).toBe(5);
  });

  it('learns a pattern inside a word (rhost=<*>) when only its value varies', () => {
    const miner = new LogTemplateMiner();
    for (const host of ['alpha.example.org', 'beta.example.net', 'gamma.example.com'])
      miner.add(`auth failure ruser= rhost=${host} user=root`);
    const match = miner.add('auth failure ruser= rhost=delta.example.io user=root');
    expect(match.template).toBe('auth failure ruser= rhost=<*> user=root');
    expect(match.isNew).toBe(false);
    expect(miner.size).toBe(1);
  });

  it('keeps two templates apart when only two values were seen and their words are mostly different', () => {
    const miner = new LogTemplateMiner();
    const started = miner.add('Service started').id;
    const stopped = miner.add('Service stopped').id;
    expect(started).not.toBe(stopped);
    expect(miner.match('Service started')!.id).toBe(started);
    expect(miner.match('something else entirely')).toBeUndefined();
  });

  it('keeps template ids across a snapshot restored through Storage', async () => {
    const storage = new MemoryStorage();
    const first = new LogTemplateMiner();
    const ids = OPENSSH.map((message) => first.resolve(first.add(message).id));
    await storage.putState({ key: 'logs/miner', value: JSON.parse(JSON.stringify(first.snapshot())) });

    const second = new LogTemplateMiner();
    expect(second.restore(await storage.getState({ key: 'logs/miner' }))).toBe(true);
    expect(second.templates()).toEqual(first.templates());
    OPENSSH.forEach((message, index) => expect(second.add(message).id).toBe(first.resolve(ids[index]!)));
    const next = second.add(
      'Received disconnect from 139.59.209.18: 11: Normal Shutdown, Thank you for playing [preauth]',
    );
    expect(next.isNew).toBe(true);
    expect(next.id).toBeGreaterThan(Math.max(...ids));
    expect(second.restore({ version: 99 })).toBe(false);
  });

  it('holds at most maxTemplates templates, forgetting the least recently seen', () => {
    const miner = new LogTemplateMiner({ maxTemplates: 10 });
    const words = [
      'alpha',
      'bravo',
      'charlie',
      'delta',
      'echo',
      'foxtrot',
      'golf',
      'hotel',
      'india',
      'juliet',
      'kilo',
      'lima',
      'mike',
      'november',
      'oscar',
    ];
    const keep = miner.add('kept message seen often').id;
    words.forEach((word, index) => {
      miner.add(`${word} ${'x'.repeat(index + 1)} event happened`);
      miner.add('kept message seen often');
    });
    expect(miner.size).toBeLessThanOrEqual(10);
    expect(miner.template(keep)!.count).toBe(words.length + 1);
    expect(miner.match('alpha x event happened')).toBeUndefined();
  });

  it('rejects bad options with a ValidationError naming the field', () => {
    expect(() => new LogTemplateMiner({ mergeThreshold: 1 })).toThrow(/mergeThreshold/);
  });
});
