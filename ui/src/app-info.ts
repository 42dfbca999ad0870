import { api } from "./api";

/** Shape of the Rust command `app_info`. */
export interface AppInfo {
  name: string;
  version: string;
}

function isAppInfo(value: unknown): value is AppInfo {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v["name"] === "string" && typeof v["version"] === "string";
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
