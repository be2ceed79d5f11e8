import type { Generation } from "../../api-generation.ts";

const STATUS_BADGE: Record<Generation["status"], string> = {
  succeeded: "badge-active",
  failed: "badge-revoked",
  queued: "badge-pending",
  planning: "badge-pending",
};

export function StatusBadge({ status }: { status: Generation["status"] }) {
  return (
    <span className={`badge ${STATUS_BADGE[status]}`} data-testid="generation-status">
      {status}
    </span>
  );
}
