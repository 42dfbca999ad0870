// The screen parts, one component each, in one registry: a step screen draws the parts Rust lists for
// it (`ScreenView.parts`), in that order. A new part is a Rust `ScreenPart` variant and one entry here;
// the type check fails until the entry exists.

import type { ComponentChild } from "preact";
import type { Local } from "../../app/local";
import type { ScreenPart, ScreenView, View } from "../../types";
import { AccountEntry } from "./Account";
import { Captures } from "./Captures";
import { Checklist } from "./Checklist";
import { Handoff } from "./Handoff";
import { CertificateIdForm, KeyPanel } from "./M2m";
import { Revoke } from "./Revoke";
import { TokenNameForm } from "./TokenName";

type PartProps = { view: View; screen: ScreenView; local: Local };

export const PARTS: Record<ScreenPart, (p: PartProps) => ComponentChild> = {
  account: ({ view, local }) => <AccountEntry view={view} local={local} />,
  // On the connector's own step its page button is already at the top.
  handoff: ({ screen, local }) =>
    screen.kind === "step" && screen.handoff ? (
      <Handoff h={screen.handoff} local={local} nested connectorButton={screen.place !== "connector"} />
    ) : null,
  revoke: ({ screen, local }) => (screen.kind === "revoke" ? <Revoke r={screen.revoke} local={local} /> : null),
  checklist: ({ view, screen, local }) => <Checklist view={view} screen={screen} local={local} />,
  // In a replacement the connection's name is the old token's; the new one's is the checklist's value.
  token_name: ({ view, screen }) => (
    <TokenNameForm screen={screen} saved={view.journey === "setup" ? (view.connection?.token_name ?? null) : null} />
  ),
  captures: ({ screen, local }) => <Captures screen={screen} local={local} />,
  key: ({ screen, local }) => (screen.key ? <KeyPanel k={screen.key} local={local} /> : null),
  certificate_id: ({ screen, local }) =>
    screen.certificate_id ? <CertificateIdForm c={screen.certificate_id} local={local} /> : null,
};
