// A refused app link: said at once (role="alert"), first in the page and so in the keyboard order, and
// kept until dismissed. Nothing else changed.

import { dismissNotice } from "../../app/actions/applinks";

export function LinkNotice({ text }: { text: string }) {
  return (
    <div
      class="note note-error app-link-notice"
      data-testid="app-link-notice"
      role="alert"
      onKeyDown={(ev) => {
        if (ev.key === "Escape") {
          ev.preventDefault();
          dismissNotice();
        }
      }}
    >
      <span class="note-icon" aria-hidden="true" />
      <div class="note-body">
        <p class="app-link-notice-title">Link not opened</p>
        <p data-testid="app-link-notice-text">{text}</p>
        <div class="app-link-notice-actions">
          <button type="button" class="btn btn-small" data-testid="app-link-notice-dismiss" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      </div>
    </div>
  );
}
