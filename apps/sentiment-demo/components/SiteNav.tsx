'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Sentiment' },
  { href: '/next-word', label: 'Next word' },
];

export function SiteNav() {
  const path = usePathname();
  return (
    <nav aria-label="Demos" className="site-nav">
      {LINKS.map((l) => {
        const current = l.href === '/' ? path === '/' : path?.startsWith(l.href);
        return (
          <Link key={l.href} href={l.href} aria-current={current ? 'page' : undefined} className={current ? 'nav-link current' : 'nav-link'}>
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
