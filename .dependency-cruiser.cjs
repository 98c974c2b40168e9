/**
 * The layering of lib/, checked by `npm run lint` (dependency-cruiser). From the bottom up:
 *
 *   lib/config     the config toolkit (fields, loader, errors): imports nothing else under lib/
 *   lib/contracts  upstream contracts: imports config and platform only
 *   lib/platform   building blocks and the component contract: imports config and contracts only
 *   lib/<component>/  one folder per component (baseline, layers, cache, …): imports the layers
 *                  above, and other components only through their public entry (index.ts)
 *   lib/registry.ts   the list of components
 *   lib/synth, deploy, review, policy, cli, scripts/, main.ts: use all of the above
 *
 * A component is any folder of lib/ that is not one of the named layers, so a new component is
 * covered without editing this file. Type-only imports count: a cycle of types is a cycle.
 */

/** Folders of lib/ that are not components. */
const LAYERS = ['config', 'contracts', 'platform', 'synth', 'deploy', 'review', 'policy', 'cli'];
/** Folders of lib/ below every component. */
const FOUNDATION = ['config', 'contracts', 'platform'];
/** Folders of lib/ above the registry: they use components, components never use them. */
const UPPER = ['synth', 'deploy', 'review', 'policy', 'cli'];

const folders = (names) => `^lib/(${names.join('|')})/`;
const COMPONENT = `^lib/(?!(${LAYERS.join('|')})/)[^/]+/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module reaches itself through its imports. Cycles make load order matter and hide layering; move the shared part down.',
      from: { path: '^(lib|scripts)/|^main\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      scope: 'folder',
      severity: 'error',
      comment: 'Two folders of lib/ import each other (through any of their files). Decide which one is below the other.',
      from: { path: '^lib/[^/]+$' },
      to: { circular: true },
    },
    {
      name: 'config-is-generic',
      severity: 'error',
      comment:
        'lib/config is the config toolkit: it knows no component and no other layer. Sections and rules come from the components through lib/registry.ts.',
      from: { path: '^lib/config/' },
      to: { path: '^lib/', pathNot: '^lib/config/' },
    },
    {
      name: 'contracts-import-no-component',
      severity: 'error',
      comment: 'lib/contracts may use lib/config and lib/platform only.',
      from: { path: '^lib/contracts/' },
      to: { path: '^lib/', pathNot: [folders(['config', 'contracts', 'platform'])] },
    },
    {
      name: 'platform-imports-no-component',
      severity: 'error',
      comment:
        'lib/platform holds the building blocks and the component contract: it may use lib/config and lib/contracts, never a component or the registry.',
      from: { path: '^lib/platform/' },
      to: { path: '^lib/', pathNot: [folders(FOUNDATION)] },
    },
    {
      name: 'components-use-public-entries',
      severity: 'error',
      comment:
        'A component uses another only through its public entry, lib/<component>/index.ts: the rest of a folder is its own business.',
      from: { path: '^lib/([^/]+)/', pathNot: folders(LAYERS) },
      to: { path: COMPONENT, pathNot: ['^lib/$1/', '^lib/[^/]+/index\\.ts$'] },
    },
    {
      name: 'components-below-registry',
      severity: 'error',
      comment: 'Components (and the layers below them) never import the registry or what is built on it; the registry imports them.',
      from: { path: `${COMPONENT}|${folders(FOUNDATION)}` },
      to: { path: `${folders(UPPER)}|^lib/registry\\.ts$` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
