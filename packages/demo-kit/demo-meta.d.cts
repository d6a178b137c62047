export interface DemoPage {
  /** Path inside the app ("/" or "/next-word"). */
  path: string;
  label: string;
}

export interface DemoApp {
  /** The app's folder. */
  dir: string;
  /** Where the site serves it: its Next basePath ("/sentiment"). */
  path: string;
  title: string;
  description: string;
  /** File name of its picture in the app folder. */
  picture: string;
  pages: DemoPage[];
  order: number;
}

export class DemoMetadataError extends Error {}

/** The checked demo.json of the app in `appDir`, or null when it has none. */
export function readDemoApp(appDir: string): DemoApp | null;

/** Every demo under `appsDir`, by order then path. */
export function readDemoApps(appsDir: string): DemoApp[];
