import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.js';
import { LOGHUB_LOG_FORMATS, LogFormat, loghubSystem, type LoghubSystem } from './log-format.js';

/** The first line of each Loghub-2k sample, with the message the LogPAI structured files give for it. */
const FIRST_LINES: Record<LoghubSystem, [line: string, content: string]> = {
  Android: [
    '03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken = AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.tencent.qt.qtl/.activity.info.NewsDetailXmlActivity t761}}}, allDrawn= false, startingDisplayed =  false, startingMoved =  false, isRelaunching =  false',
    'printFreezingDisplayLogsopening app wtoken = AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.tencent.qt.qtl/.activity.info.NewsDetailXmlActivity t761}}}, allDrawn= false, startingDisplayed =  false, startingMoved =  false, isRelaunching =  false',
  ],
  Apache: [
    '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties',
    'workerEnv.init() ok /etc/httpd/conf/workers2.properties',
  ],
  BGL: [
    '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected',
    'instruction cache parity error corrected',
  ],
  HDFS: [
    '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
    'PacketResponder 1 for block blk_38865049064139660 terminating',
  ],
  HPC: [
    '134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component \\042SCSI-WWID:01000010:6005-08b4-0001-00c6-0006-3000-003d-0000\\042 is in the unavailable state (HWID=1973)',
    'Component State Change: Component \\042SCSI-WWID:01000010:6005-08b4-0001-00c6-0006-3000-003d-0000\\042 is in the unavailable state (HWID=1973)',
  ],
  Hadoop: [
    '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001',
    'Created MRAppMaster for application appattempt_1445144423722_0020_000001',
  ],
  HealthApp: ['20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', 'onStandStepChanged 3579'],
  Linux: [
    'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ',
    'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
  ],
  Mac: [
    'Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet for route = 0x0 port = 11 unplug = 0',
    'IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet for route = 0x0 port = 11 unplug = 0',
  ],
  OpenSSH: [
    'Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!',
    'reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!',
  ],
  OpenStack: [
    'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b-2096-447d-96ea-a692162415ae 113d3a99c3da401fbd62cc2caa5b96d2 54fadb412c4e40cdbaed9335e4c35a9e - - -] 10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
    '10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
  ],
  Proxifier: [
    '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
    'proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
  ],
  Spark: [
    '17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]',
    'Registered signal handlers for [TERM, HUP, INT]',
  ],
  Thunderbird: [
    '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root',
    'session closed for user root',
  ],
  Windows: [
    '2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.23505_none_681aa442f6fed7f0\\cbscore.dll',
    'Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.23505_none_681aa442f6fed7f0\\cbscore.dll',
  ],
  Zookeeper: [
    '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
    'Notification time out: 3200',
  ],
};

describe('LogFormat', () => {
  it('splits the first line of each of the 16 Loghub systems into header fields and message', () => {
    expect(Object.keys(FIRST_LINES).sort()).toEqual(Object.keys(LOGHUB_LOG_FORMATS).sort());
    for (const [system, [line, content]] of Object.entries(FIRST_LINES)) {
      const parsed = LogFormat.loghub(system as LoghubSystem).parse(line);
      expect(parsed.matched, system).toBe(true);
      expect(parsed.content, system).toBe(content);
    }
    expect(LogFormat.loghub('HDFS').parse(FIRST_LINES.HDFS[0]).fields).toMatchObject({
      Date: '081109',
      Time: '203615',
      Pid: '148',
      Level: 'INFO',
      Component: 'dfs.DataNode$PacketResponder',
    });
    expect(LogFormat.loghub('Linux').parse(FIRST_LINES.Linux[0]).fields).toMatchObject({
      Component: 'sshd(pam_unix)',
      PID: '19939',
    });
  });

  it('reads a custom format and keeps a line that does not match as the message', () => {
    const format = new LogFormat('<Date> <Time> <Level>: <Content>');
    expect(format.fields).toEqual(['Date', 'Time', 'Level', 'Content']);
    expect(format.parse('2026-12-04 20:00:01 WARN: disk /dev/sda1 is 91% full')).toEqual({
      fields: { Date: '2026-12-04', Time: '20:00:01', Level: 'WARN', Content: 'disk /dev/sda1 is 91% full' },
      content: 'disk /dev/sda1 is 91% full',
      matched: true,
    });
    expect(format.parse('a line without a header')).toEqual({
      fields: {},
      content: 'a line without a header',
      matched: false,
    });
  });

  it('finds systems case-insensitively and rejects formats without <Content> or with repeated fields', () => {
    expect(loghubSystem('openssh')).toBe('OpenSSH');
    expect(loghubSystem('syslog')).toBeUndefined();
    expect(() => new LogFormat('<Date> <Time>')).toThrow(ValidationError);
    expect(() => new LogFormat('<Date> <Date> <Content>')).toThrow(/<Date>/);
  });
});
