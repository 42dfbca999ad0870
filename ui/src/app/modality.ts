// Keyboard users must always see where focus is. :focus-visible covers most
// cases, but WebKit (the Linux and macOS webview) does not apply it when the
// arrow keys move focus within a radio group. So the page remembers whether
// the keyboard or a pointer was used last, and the stylesheet also draws the
// ring for :focus while data-input="keyboard".

export function trackInputModality(root: HTMLElement): void {
  root.dataset["input"] = "pointer";
  document.addEventListener(
    "keydown",
    (ev) => {
      if (ev.metaKey || ev.ctrlKey || ev.altKey) return;
      root.dataset["input"] = "keyboard";
    },
    true,
  );
  document.addEventListener(
    "pointerdown",
    () => {
      root.dataset["input"] = "pointer";
    },
    true,
  );
}
