// Signing in without a browser lives with the demo IdP, which `gatehouse demo --as` uses too.
export { browserlessOpener, loginWithoutBrowser, type LoginOutcome } from '../../main/headless/demo/idp/browserless-login.js';
