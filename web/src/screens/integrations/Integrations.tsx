import { Page } from "../../components/Page.tsx";
import { SubNav } from "../../components/SubNav.tsx";
import { match } from "../../router.ts";
import { DeadLetters } from "./DeadLetters.tsx";
import { EndpointDetail } from "./EndpointDetail.tsx";
import { Endpoints } from "./Endpoints.tsx";
import { EventDetail } from "./EventDetail.tsx";
import { Events } from "./Events.tsx";
import { Sources } from "./Sources.tsx";

const PAGES = [
  {
    href: "/integrations",
    label: "Events",
    match: (p: string) => p === "/integrations" || p.startsWith("/integrations/events/"),
  },
  { href: "/integrations/dead-letters", label: "Dead letters" },
  { href: "/integrations/sources", label: "Inbound sources" },
  {
    href: "/integrations/endpoints",
    label: "Outbound endpoints",
    match: (p: string) => p === "/integrations/endpoints" || p.startsWith("/integrations/endpoints/"),
  },
];

/** Webhooks in and out: what arrived, where it went, what died, and the sources and endpoints themselves. */
export function Integrations({ path }: { path: string }) {
  const page = path.replace(/\/+$/, "");
  const event = match("/integrations/events/:eventId", page);
  const endpoint = match("/integrations/endpoints/:endpointId", page);
  return (
    <Page
      id="integrations-title"
      title="Integrations"
      lead="Webhooks from GitHub, Jira, Sentry and others come in; signed events go out to your endpoints."
    >
      <SubNav label="Integration pages" items={PAGES} path={page} />
      {event ? (
        <EventDetail eventId={event.eventId!} />
      ) : endpoint ? (
        <EndpointDetail endpointId={endpoint.endpointId!} />
      ) : page === "/integrations/dead-letters" ? (
        <DeadLetters />
      ) : page === "/integrations/sources" ? (
        <Sources />
      ) : page === "/integrations/endpoints" ? (
        <Endpoints />
      ) : (
        <Events />
      )}
    </Page>
  );
}
