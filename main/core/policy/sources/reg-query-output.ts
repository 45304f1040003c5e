// Parses what `reg query <key>` prints: the key's full name, its values indented by four spaces as
// `name    TYPE    data`, then a blank line and the names of its subkeys:
//
//   HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Gatehouse
//       Policy    REG_SZ    {"version":1,...}
//
//   HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Gatehouse\Sub

export interface RegistryValue {
  readonly name: string;
  readonly type: string;
  readonly data: string;
}

// The name is matched lazily up to the first `    REG_xxx` so data may itself contain runs of spaces.
const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/** The values of the queried key itself, not of the subkeys listed after it. */
export function parseRegQueryValues(stdout: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  let seenKey = false;
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      if (seenKey) break;
      seenKey = true;
      continue;
    }
    const match = VALUE_LINE.exec(line);
    if (seenKey && match) values.push({ name: match[1]!, type: match[2]!, data: match[3] ?? '' });
  }
  return values;
}

/** Whether `reg query <parent>` output lists `fullName` (HKEY_LOCAL_MACHINE\...) among its subkeys. */
export function listsSubkey(stdout: string, fullName: string): boolean {
  const wanted = fullName.toLowerCase();
  return stdout.split(/\r?\n/).some((line) => !line.startsWith(' ') && line.trim().toLowerCase() === wanted);
}

/**
 * reg prints a REG_MULTI_SZ as its strings joined by the two characters `\0`. Backslashes are read in
 * pairs so that JSON's own escape `\\` followed by a `0` is not mistaken for a separator; JSON has no
 * `\0` escape, so every other `\0` is one.
 */
export function joinMultiString(data: string): string {
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const char = data[i]!;
    if (char !== '\\' || i + 1 >= data.length) {
      out += char;
    } else if (data[i + 1] === '0') {
      out += '\n';
      i++;
    } else {
      out += char + data[i + 1]!;
      i++;
    }
  }
  return out;
}
