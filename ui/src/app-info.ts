import { api } from "./api";

/** Shape of the Rust command `app_info`. */
export interface AppInfo {
  name: string;
  version: string;
  /** Where NetSuite calls go instead of NetSuite, when TBA_WIZARD_BASE_URL is set. */
  base_url: string | null;
}

function isAppInfo(value: unknown): value is AppInfo {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const base = v["base_url"];
  return (
    typeof v["name"] === "string" &&
    typeof v["version"] === "string" &&
    (base === null || base === undefined || typeof base === "string")
  );
}

/**
 * Ask the Rust side for the app's name and version. Resolves to null when it
 * cannot (e.g. the UI is open in a plain browser without Tauri): the caller
 * then shows nothing rather than an error.
 */
export async function loadAppInfo(): Promise<AppInfo | null> {
  try {
    const info: unknown = await api.appInfo();
    return isAppInfo(info) ? info : null;
  } catch {
    return null;
  }
}
