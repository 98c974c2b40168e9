import { cronFields, cronScheduleProblem } from '../../lib/config/cron-schedule';
import { problemsWith } from '../support/config-changes';

describe('cron schedules as Kubernetes 1.30 accepts them (robfig/cron v3 ParseStandard)', () => {
  test.each(['0 3 * * *', '*/15 0-5,22 1 jan-mar MON', '10/5 * * * *', '0 0 ? * sun', '1,,2 * * * *', '@hourly', '@daily', '@yearly'])(
    'accepts %j',
    (schedule) => expect(cronScheduleProblem(schedule)).toBeUndefined(),
  );

  test.each([
    ['61 * * * *', 'in the minute field (0-59), 61 in "61" is outside 0-59'],
    ['0 24 * * *', 'in the hour field (0-23), 24 in "24" is outside 0-23'],
    ['0 0 0 * *', 'in the day of month field (1-31), 0 in "0" is outside 1-31'],
    ['0 0 * 13 *', 'in the month field (1-12), 13 in "13" is outside 1-12'],
    ['0 0 * * 7', 'in the day of week field (0-6), 7 in "7" is outside 0-6'],
    ['*/0 * * * *', 'the step of "*/0" is 0'],
    ['5-1 * * * *', '"5-1" starts after it ends'],
    ['1-2-3 * * * *', '"1-2-3" has more than one "-"'],
    ['a * * * *', '"a" is not a number'],
    ['0 0 * foo *', '"foo" is neither a number nor a name'],
    ['0 3 * *', 'this has 4 field(s)'],
    ['0 0 3 * * *', 'this has 6 field(s)'],
    ['TZ=UTC 0 3 * * *', 'no TZ= or CRON_TZ='],
    ['CRON_TZ=Asia/Shanghai 0 3 * * *', 'no TZ= or CRON_TZ='],
    ['@every 1h', '@every is not rendered here'],
    ['@fortnightly', 'or one of @yearly'],
  ])('refuses %j: %s', (schedule, why) => expect(cronScheduleProblem(schedule)).toContain(why));

  test('a descriptor renders as the five fields it stands for', () => {
    expect(cronFields('@weekly')).toEqual(['0', '0', '*', '*', '0']);
    expect(cronFields('0 3 * * *')).toEqual(['0', '3', '*', '*', '*']);
  });

  test('the database backup schedule is refused with file, field, expected and found', () => {
    const [problem] = problemsWith({ merge: { 'dev.yaml': { database: { inCluster: { backup: { schedule: '0 25 * * *' } } } } } });
    expect(problem).toMatch(
      /^dev\.yaml: database\.inCluster\.backup\.schedule: expected a cron schedule as Kubernetes accepts it: .*in the hour field \(0-23\), 25 in "25" is outside 0-23, found "0 25 \* \* \*"$/,
    );
  });
});
