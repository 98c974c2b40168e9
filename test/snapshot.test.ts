import { ENVIRONMENTS, rendered } from './support/environments';

// The whole output of each environment, file by file: any change shows up here for review.
describe.each(ENVIRONMENTS)('snapshot: %s', (environment) => {
  test('rendered files', () => {
    for (const file of rendered(environment).files) {
      expect(file.content).toMatchSnapshot(file.fileName);
    }
  });
});
