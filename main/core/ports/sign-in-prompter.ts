// How the core tells the user that they must sign in (first run, or the IdP refused the refresh
// token). Fire-and-forget: the host shows it its own way (a notification on the desktop, a line on
// stderr in the CLI) and the user signs in with `gatehouse login` or the app's Sign in button.
// The identity session calls it once per need, not once per failed tool call.
export interface SignInPrompter {
  requestSignIn(reason: string): void;
}

export const silentSignInPrompter: SignInPrompter = { requestSignIn() {} };
