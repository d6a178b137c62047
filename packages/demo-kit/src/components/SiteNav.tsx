'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { navLinks, siteInfo } from '../site';

/** Links to every page of every demo in this build: this app's pages client-side, the others through the site. */
export function SiteNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Demos" className="site-nav">
      {navLinks(siteInfo(), pathname).map((l) => {
        const props = {
          'aria-current': l.current ? ('page' as const) : undefined,
          className: l.current ? 'nav-link current' : 'nav-link',
        };
        return l.internal ? (
          <Link key={`${l.href}:${l.label}`} href={l.href} {...props}>
            {l.label}
          </Link>
        ) : (
          <a key={`${l.href}:${l.label}`} href={l.href} {...props}>
            {l.label}
          </a>
        );
      })}
    </nav>
  );
}
