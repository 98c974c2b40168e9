import { readCommandLine, UsageError } from '../../lib/cli/command-line';

test('options with values, flags and positional arguments are read in order', () => {
  const envs: string[] = [];
  let markdown = false;
  const line = readCommandLine(['facts', '--env', 'dev', '--markdown', 'prod', '--env', 'test'], {
    values: { '--env': (v) => envs.push(v) },
    flags: { '--markdown': () => (markdown = true) },
    positional: true,
  });
  expect(envs).toEqual(['dev', 'test']);
  expect(markdown).toBe(true);
  expect(line).toEqual({ positional: ['facts', 'prod'], help: false });
});

test('--help is reported, not handled', () => {
  expect(readCommandLine(['-h'], {}).help).toBe(true);
});

test.each([
  [['--env'], '--env needs a value'],
  [['--env', '--markdown'], '--env needs a value'],
  [['--bogus'], 'unknown argument --bogus'],
  [['stray'], 'unknown argument stray'],
])('%j is a usage error: %s', (argv, message) => {
  const read = () => readCommandLine(argv, { values: { '--env': () => undefined }, flags: { '--markdown': () => undefined } });
  expect(read).toThrow(UsageError);
  expect(read).toThrow(message);
});
