// data-testid on any element takes only an id of the registry (ui/src/testids.ts): a typo is a type error.
import type { TestId } from "./testids";

declare module "preact" {
  interface HTMLAttributes<RefType extends EventTarget = EventTarget> {
    "data-testid"?: TestId | undefined;
  }
}
