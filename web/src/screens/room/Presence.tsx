import { initials } from "../../components/avatar.ts";
import type { Participant } from "../../live.ts";

/** Who is in the room now, and what they are looking at. */
export function Presence({
  participants,
  selfId,
}: {
  participants: Participant[];
  selfId: string | undefined;
}) {
  return (
    <section className="card presence" aria-labelledby="presence-title">
      <h2 id="presence-title">
        In the room <span className="count">{participants.length}</span>
      </h2>
      <ul className="presence-list" aria-live="polite" data-testid="presence">
        {participants.map((p) => (
          <li key={p.id} className="participant">
            <span className="avatar avatar-small" aria-hidden="true">
              {initials(p.name)}
              <span className="online-dot" />
            </span>
            <span className="participant-text">
              <span className="participant-name">
                {p.name}
                {p.id === selfId && <span className="muted"> (you)</span>}
              </span>
              <span className="muted small">
                {p.role}
                {p.focus ? ` · ${p.focus}` : ""}
              </span>
            </span>
          </li>
        ))}
        {participants.length === 0 && <li className="muted small">Nobody yet.</li>}
      </ul>
    </section>
  );
}
