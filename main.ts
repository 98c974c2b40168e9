import { runSynthCli } from './lib/synth/synth-cli';

// Loads config/, renders every environment (or those given with --env) and writes dist/<env>/.
process.exitCode = runSynthCli(process.argv.slice(2));
