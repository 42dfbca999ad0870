// Buttons that open a NetSuite (or the connector's) page in the browser, and what to do when none opened.

import { copyLink, open } from "../../app/actions/step";
import type { LinkNote as LinkNoteState, Local } from "../../app/local";
import { Button, Note } from "../../components/widgets";
import type { TestId } from "../../testids";
import type { PageLink } from "../../types";

/** After an Open button: a short confirmation, or the address with a Copy button when no browser opened. */
export function LinkNote({ which, fallback, testid }: { which: string; fallback: LinkNoteState; testid: TestId }) {
  if (fallback.opened) {
    return (
      <p class="link-status" data-testid={`${testid}-status`}>
        Opened in your web browser.
      </p>
    );
  }
  return (
    <Note kind="warn" testid={`${testid}-fallback`}>
      <p>{fallback.message ?? "No web browser could be opened. Copy the address and open it in your browser."}</p>
      <div class="url-row">
        <code class="url" data-testid={`${testid}-url`}>
          {fallback.url}
        </code>
        <Button onClick={() => void copyLink(which)} testid={`${testid}-copy`} icon="copy">
          Copy address
        </Button>
      </div>
      {fallback.copied ? (
        <p class="copy-status" data-testid={`${testid}-copied`}>
          {fallback.copied}
        </p>
      ) : null}
    </Note>
  );
}

export function LinkRow(p: { link: PageLink; text: string; testid: TestId; local: Local; main: boolean }) {
  const which = p.link.id;
  const hintId = `${p.testid}-hint`;
  const fallback = p.local.links[which];
  return (
    <div class={`link-row ${p.main ? "is-main" : ""}`.trim()}>
      <Button
        onClick={() => void open(which)}
        testid={p.testid}
        variant={p.main ? "primary" : "secondary"}
        icon="open"
        describedBy={p.link.hint ? hintId : undefined}
      >
        {p.text}
      </Button>
      {p.link.hint ? (
        <p class="link-hint" id={hintId}>
          {p.link.hint}
        </p>
      ) : null}
      {fallback ? <LinkNote which={which} fallback={fallback} testid={p.testid} /> : null}
    </div>
  );
}
