import * as path from 'node:path';
import { runDeploy } from '../lib/deploy/deploy-command';

// `npm run deploy -- <env>` (and the scripts/deploy.sh shim): the logic is in lib/deploy/.
const root = path.join(__dirname, '..');
void runDeploy(process.argv.slice(2), {
  root,
  configDir: process.env.SUOKE_CONFIG_DIR ?? path.join(root, 'config'),
  distDir: process.env.SUOKE_DIST_DIR ?? path.join(root, 'dist'),
  envFile: process.env.SUOKE_ENV_FILE ?? path.join(root, '.env'),
}).then((status) => {
  process.exitCode = status;
});
