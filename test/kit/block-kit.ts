/** The Block Kit validator lives with the Slack simulator in src/sandbox; tests import it from here. */
export * from '../../src/sandbox/block-kit.js';
