// The connector profiles as the start screen shows them, read from src-tauri/engine/profiles/*.json
// by the build (ui/vite.config.ts), in their `order`.
declare module "virtual:profiles" {
  const profiles: readonly {
    id: string;
    order: number;
    name: string;
    shortName: string;
    summary: string;
    badge: string | null;
    notice: { title: string; points: readonly string[] } | null;
    steps: readonly { code: string; label: string }[];
  }[];
  export default profiles;
}
