// Opens a URL for the user: the system browser on the desktop and in the CLI, or a printed line
// when there is no browser (--no-browser, remote shells). Callers pass only URLs they have checked.
export interface Opener {
  open(url: URL): Promise<void>;
}
