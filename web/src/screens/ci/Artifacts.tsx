// A failed result's artifacts (docs/artifacts.md): "Open trace" in the self-hosted Playwright trace viewer
// (/trace/, a new tab), screenshots inline and a video link. All by signed URLs, which expire after
// 10 minutes: a click on an expired one fetches fresh URLs first.
import { useCallback, useState } from "react";
import { type Artifact, ciApi } from "../../api-ci.ts";

/** The viewer takes the trace's absolute URL in `?trace=`; its service worker fetches it. `/trace/`, not
 * `/trace/index.html`: the asset layer redirects the latter (html_handling), a round trip for nothing. */
export const traceViewerHref = (url: string) => `/trace/?trace=${encodeURIComponent(url)}`;

/** Signed URLs are refreshed a minute before they expire. */
const fresh = (a: Artifact) => a.urlExpiresAt - Date.now() > 60_000;

export function ResultArtifacts({ runId, artifacts }: { runId: string; artifacts: Artifact[] }) {
  const [items, setItems] = useState(artifacts);
  const resultId = artifacts[0]?.resultId;
  const refreshed = useCallback(async () => {
    const page = await ciApi.artifacts(runId, { resultId, limit: 100 });
    setItems(page.items);
    return page.items;
  }, [runId, resultId]);

  const openTrace = async (event: React.MouseEvent<HTMLAnchorElement>, trace: Artifact) => {
    if (fresh(trace)) return;
    event.preventDefault();
    // Opened before the await, so the browser still counts it as the user's click.
    const tab = window.open("", "_blank");
    const again = (await refreshed()).find((a) => a.id === trace.id);
    if (tab && again) tab.location.href = traceViewerHref(again.url);
  };

  const traces = items.filter((a) => a.kind === "trace");
  const shots = items.filter((a) => a.kind === "screenshot");
  const videos = items.filter((a) => a.kind === "video");
  return (
    <div className="artifacts" data-testid="result-artifacts">
      {(traces.length > 0 || videos.length > 0) && (
        <p className="artifact-links">
          {traces.map((trace, i) => (
            <a
              key={trace.id}
              className="btn btn-secondary btn-small"
              href={traceViewerHref(trace.url)}
              target="_blank"
              rel="noopener"
              onClick={(e) => void openTrace(e, trace)}
            >
              Open trace{traces.length > 1 ? ` ${i + 1}` : ""}
            </a>
          ))}
          {videos.map((video, i) => (
            <a key={video.id} href={video.url} target="_blank" rel="noopener">
              Video{videos.length > 1 ? ` ${i + 1}` : ""}
            </a>
          ))}
        </p>
      )}
      {shots.map((shot) => (
        <a key={shot.id} href={shot.url} target="_blank" rel="noopener" className="artifact-shot">
          <img
            src={shot.url}
            alt={`Screenshot at the failure (${shot.name})`}
            loading="lazy"
            onError={() => {
              if (!fresh(shot)) void refreshed();
            }}
          />
        </a>
      ))}
    </div>
  );
}
