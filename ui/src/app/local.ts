// What the window remembers about the screen on display that Rust does not need to know: messages
// after an action, a page address that could not be opened, whether a test is running. It never
// holds a secret. It is forgotten when another screen is shown.

import type { CaptureField } from "../types";

export interface CaptureNote {
  /** "info": nothing happened, and that is fine (a save dialog closed without a file). */
  kind: "ok" | "info" | "error";
  message: string;
  warnings: string[];
}

export interface LinkNote {
  opened: boolean;
  url: string;
  message: string | null;
  /** "Copied" after the address's Copy button. */
  copied: string | null;
}

export interface Local {
  screenId: string | null;
  account: { error: string | null; checking: boolean; draft: string | null };
  capture: Partial<Record<CaptureField, CaptureNote>>;
  busyCapture: CaptureField | null;
  typeOpen: Partial<Record<CaptureField, boolean>>;
  /** OAuth 2.0's key step: making or importing a key, and what came of it. */
  key: { busy: "make" | "import" | "import-files" | "save-as" | null; note: CaptureNote | null; folder: string | null };
  /** OAuth 2.0's mapping step: what the Certificate ID field says after Save. */
  certificateId: { error: string | null; draft: string | null };
  /** A replacement's call to NetSuite's certificate endpoint (upload or revoke), and what came of it. */
  certificateApi: { busy: "upload" | "revoke" | null; note: { ok: boolean; message: string } | null };
  /** The hand-off's export of the private key: where it went, or why not. */
  exported: { ok: boolean; message: string } | null;
  links: Record<string, LinkNote>;
  /** The last copy's result, by the row it was made from (one at a time: a new copy replaces the note of
   * the one before, so a note never sits under another row than the one copied). `flash` while its
   * button says "Copied". */
  copies: Record<string, { ok: boolean; message: string; flash?: boolean }>;
  test: {
    running: boolean;
    startedAt: number;
    cancelling: boolean;
    error: string | null;
    /** What the test is doing now, as Rust last said (null until it says). */
    stage: string | null;
  };
  auditOpen: boolean;
  /** The signed call that proves a revoked token is refused. */
  oldCheckRunning: boolean;
  /** An error from the last action, shown at the top of the pane. */
  error: string | null;
  /** Ticks and picks made but not yet answered by Rust, by checklist key. */
  pending: Record<string, { checked?: boolean; picked?: boolean }>;
}

export function freshLocal(screenId: string | null): Local {
  return {
    screenId,
    account: { error: null, checking: false, draft: null },
    capture: {},
    busyCapture: null,
    typeOpen: {},
    key: { busy: null, note: null, folder: null },
    certificateId: { error: null, draft: null },
    certificateApi: { busy: null, note: null },
    exported: null,
    links: {},
    copies: {},
    test: { running: false, startedAt: 0, cancelling: false, error: null, stage: null },
    auditOpen: false,
    oldCheckRunning: false,
    error: null,
    pending: {},
  };
}
