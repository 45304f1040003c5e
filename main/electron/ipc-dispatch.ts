// The one IPC handler of the desktop UI (`gatehouse:call`), kept apart from ipcMain so it runs in
// plain Node. It answers only our own windows' top frames showing our own UI, and only calls UI_CALLS
// defines; the UI service then checks the request against the call's schema and the answer against
// its response schema (once, for every host). Always the envelope: a thrown error would reach the
// renderer as a bare message, so a refusal here is a UiResult like any other answer.
import { UI_CALLS, type UiCallName, type UiResult } from '../../common/ui-api.js';
import type { GatehouseErrorCode } from '../../common/errors.js';
import type { Logger } from '../core/ports/logger.js';
import type { UiService } from '../core/ui/ui-service.js';
import { isAppUrl } from './app-origin.js';

/** The parts of an IpcMainInvokeEvent the check reads. */
export interface CallEvent {
  /** The WebContents that sent the call. */
  readonly sender: { readonly id: number };
  /** The frame that sent it; null once it navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface CallDispatcherOptions {
  ui: Pick<UiService, 'handle'>;
  /** True for the WebContents of a window this host opened. */
  isOurWindow(webContentsId: number): boolean;
  logger: Logger;
}

export type CallDispatcher = (event: CallEvent, name: unknown, request: unknown) => Promise<UiResult<unknown>>;

export function createCallDispatcher(options: CallDispatcherOptions): CallDispatcher {
  const { ui, logger } = options;
  return async (event, name, request) => {
    try {
      const refusal = senderProblem(event, options.isOurWindow);
      if (refusal !== undefined) {
        logger.log('warn', 'refused a UI call from a sender that is not our UI', { reason: refusal });
        return failure('GATEHOUSE_UI_UNAUTHORIZED', 'Only Gatehouse\'s own windows may call Gatehouse.');
      }
      if (!isCallName(name)) {
        return failure('GATEHOUSE_BAD_REQUEST', `There is no call named ${JSON.stringify(String(name)).slice(0, 80)}. This window and Gatehouse may be from different versions: restart Gatehouse.`);
      }
      const answer = await ui.handle(name, request);
      if (!isEnvelope(answer)) {
        logger.log('error', 'the UI service answered without the envelope', { call: name });
        return failure('GATEHOUSE_INTERNAL', 'Gatehouse could not answer; see its log.');
      }
      return answer;
    } catch (error) {
      logger.log('error', 'a UI call failed', { call: typeof name === 'string' ? name.slice(0, 64) : undefined, error: String(error) });
      return failure('GATEHOUSE_INTERNAL', 'Gatehouse could not answer; see its log.');
    }
  };
}

/** Why the event's sender may not call, or undefined when it may. */
export function senderProblem(event: CallEvent, isOurWindow: (webContentsId: number) => boolean): string | undefined {
  const frame = event.senderFrame;
  if (frame === null) return 'the sending frame is gone';
  if (frame.parent !== null) return 'a sub-frame sent it';
  if (!isAppUrl(frame.url)) return 'the frame does not show our UI';
  if (!isOurWindow(event.sender.id)) return 'the WebContents is not one of our windows';
  return undefined;
}

function isCallName(name: unknown): name is UiCallName {
  return typeof name === 'string' && Object.hasOwn(UI_CALLS, name);
}

function isEnvelope(value: unknown): value is UiResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (answer.ok === true) return 'value' in answer;
  return answer.ok === false && typeof answer.error?.code === 'string' && typeof answer.error.message === 'string';
}

function failure(code: GatehouseErrorCode, message: string): UiResult<never> {
  return { ok: false, error: { code, message } };
}
