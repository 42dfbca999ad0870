// data-testid on any element takes only an id of the registry (ui/src/testids.ts): a typo is a type error.
import type { TestId } from "./testids";

declare module "preact" {
  namespace JSX {
    interface HTMLAttributes {
      "data-testid"?: TestId | undefined;
    }
  }
}
