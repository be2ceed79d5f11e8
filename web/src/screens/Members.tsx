import { type FormEvent, useId, useState } from "react";
import { api, type Invite, type Role } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { initials } from "../components/avatar.ts";
import { CopyField } from "../components/CopyButton.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../components/Feedback.tsx";
import { formatDateTime, formatRelative } from "../components/format.ts";
import { keyboardScrollable } from "../components/scroll.ts";
import { useAsync } from "../components/useAsync.ts";

const ROLES: Role[] = ["admin", "member", "viewer", "owner"];

/** Members of the organisation and the invites waiting for an answer. */
export function Members() {
  const { session } = useAppState();
  const members = useAsync(() => api.listMembers(), []);
  const invites = useAsync(() => api.listInvites(), []);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const id = useId();

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    try {
      const created = await api.createInvite({
        email: String(data.get("email") ?? ""),
        role: String(data.get("role")) as Role,
      });
      setLink({
        email: created.invite.email,
        url: `${location.origin}/join?token=${encodeURIComponent(created.token)}`,
      });
      form.reset();
      invites.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  async function revoke(item: Invite) {
    if (!confirm(`Revoke the invite for ${item.email}?`)) return;
    setError(null);
    try {
      await api.revokeInvite(item.id);
      invites.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <header className="page-head">
        <div>
          <h1 id={`${id}-title`}>Members</h1>
          <p className="muted">Who can work in this organisation, and with which role.</p>
        </div>
      </header>

      <ErrorNotice error={members.error} />
      {members.loading && !members.data ? (
        <Spinner label="Loading members" />
      ) : (
        <ul className="member-list" aria-label="Members">
          {members.data?.items.map((m) => (
            <li key={m.userId} className="member">
              <span className="avatar" aria-hidden="true">
                {initials(m.name)}
              </span>
              <span className="member-text">
                <span className="member-name">
                  {m.name} {m.userId === session?.user.id && <span className="muted">(you)</span>}
                </span>
                <span className="muted small">{m.email}</span>
              </span>
              <span className={`badge badge-role-${m.role}`}>{m.role}</span>
              <span className="muted small hide-narrow">joined {formatRelative(m.joinedAt)}</span>
            </li>
          ))}
        </ul>
      )}

      <h2>Invites</h2>
      <form className="card inline-form" onSubmit={invite}>
        <div className="field grow">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} name="email" type="email" required placeholder="tester@example.com" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} name="role" defaultValue="member">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary">
          Send invite
        </button>
      </form>
      <ErrorNotice error={error} />

      {link && (
        <div className="card secret" role="status">
          <div className="secret-head">
            <strong>Send this link to {link.email}. It is shown only once.</strong>
            <button type="button" className="btn btn-ghost" onClick={() => setLink(null)}>
              Done
            </button>
          </div>
          <CopyField value={link.url} label="Invite link" testId="invite-link" copyLabel="Copy link" />
        </div>
      )}

      <ErrorNotice error={invites.error} />
      {invites.data && invites.data.items.length === 0 ? (
        <EmptyState title="No invites yet" />
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table>
            <caption className="visually-hidden">Invites</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invites.data?.items.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.email}</th>
                  <td>{i.role}</td>
                  <td>
                    <span className={`badge badge-${i.status}`}>{i.status}</span>
                  </td>
                  <td title={formatDateTime(i.expiresAt)}>{formatRelative(i.expiresAt)}</td>
                  <td className="row-actions">
                    {i.status === "pending" && (
                      <button
                        type="button"
                        className="btn btn-danger btn-small"
                        onClick={() => revoke(i)}
                        aria-label={`Revoke invite for ${i.email}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
