// The site an app is part of: the demos of this build (each app's demo.json), inlined by the kit's Next config as
// process.env.RECURRENT_SITE, so the navigation links every demo through the one server.

export interface SiteDemo {
  /** Base path ("/sentiment"). */
  path: string;
  title: string;
  pages: { path: string; label: string }[];
}

export interface SiteInfo {
  /** Base path of the app being built. */
  current: string;
  demos: SiteDemo[];
}

/** The site of this build ({ current: '', demos: [] } outside a Next build). */
export function siteInfo(): SiteInfo {
  let raw: string | undefined;
  try {
    raw = process.env.RECURRENT_SITE;
  } catch {
    raw = undefined;
  }
  if (!raw) return { current: '', demos: [] };
  return JSON.parse(raw) as SiteInfo;
}

export interface NavLink {
  /** For pages of this app: the path inside it (next/link adds the base path); else the full site path. */
  href: string;
  label: string;
  /** A page of the app being shown (client-side navigation) rather than another app (a full page load). */
  internal: boolean;
  current: boolean;
}

/**
 * Every page of every demo, in the site's order: this app's pages as in-app links (current when `pathname`, the
 * path inside the app, is that page or below it), the other apps' pages as site links.
 */
export function navLinks(site: SiteInfo, pathname: string | null): NavLink[] {
  const links: NavLink[] = [];
  for (const demo of site.demos) {
    const internal = demo.path === site.current;
    for (const page of demo.pages) {
      const here =
        page.path === '/' ? pathname === '/' : pathname === page.path || !!pathname?.startsWith(`${page.path}/`);
      const href = internal ? page.path : demo.path + (page.path === '/' ? '' : page.path);
      links.push({ href, label: page.label, internal, current: internal && here });
    }
  }
  return links;
}
