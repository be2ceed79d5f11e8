import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from "react";
import { navigate, scoped } from "../router.ts";

/** An ordinary link to an inner path (the URL's organisation and project are added; see router.ts) (open-in-new-tab still works) that navigates in place on a plain click. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  function go(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(href);
  }
  return <a href={scoped(href)} onClick={go} {...rest} />;
}

/** The way back from a detail screen to its list ("Runs /"), above the screen's heading. */
export function Crumb({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p className="crumbs">
      <Link href={href}>{children}</Link> /
    </p>
  );
}
