/**
 * The shapes the Rust commands answer with. They are generated from the Rust types into bindings.ts,
 * and a Rust test fails when that file is stale, so the two sides cannot drift apart.
 */
export type {
  AccountView,
  AuditTrailHelp,
  CaptureView,
  Captured,
  Cause,
  CauseView,
  Connection,
  Copied,
  CopyWhat,
  DatacenterCheck,
  DiagnosticsSaved,
  Field,
  Fingerprints,
  HandOffFieldView,
  HandOffView,
  HomeCard,
  HomeTest,
  HomeView,
  Journey,
  JourneyInfo,
  LastTest,
  OldTokenCheck,
  RevokeView,
  SetupSummary,
  ItemKind,
  ItemView,
  Opened,
  Outcome,
  PageLink,
  Place,
  ProbeLine,
  ProfileInfo,
  Report,
  ScreenInfo,
  ScreenKind,
  ScreenView,
  TestRun,
  TestView,
  View,
} from "./bindings";

import type { ScreenInfo } from "./bindings";

export type ScreenStatus = ScreenInfo["status"];
