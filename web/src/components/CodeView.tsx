import { useMemo } from "react";
import { CopyButton } from "./CopyButton.tsx";
import { saveBlob } from "./format.ts";
import { tokenize } from "./highlight.ts";
import { keyboardScrollable } from "./scroll.ts";

/** A source file with TS/JS syntax colours, a copy button and a download button. */
export function CodeView({ path, content }: { path: string; content: string }) {
  const tokens = useMemo(() => tokenize(content), [content]);
  const name = path.split("/").at(-1) ?? path;
  return (
    <figure className="code-file card" data-testid="code-file">
      <figcaption className="toolbar">
        <code className="code-path">{path}</code>
        <span className="grow" />
        <CopyButton text={content} label={`Copy ${name}`} />
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => saveBlob(new Blob([content], { type: "text/plain;charset=utf-8" }), name)}
        >
          Download <span className="visually-hidden">{name}</span>
        </button>
      </figcaption>
      <section className="code-view" aria-label={`Contents of ${path}`} {...keyboardScrollable}>
        <pre>
          <code>
            {tokens.map((token, i) =>
              token.kind === "plain" ? (
                token.text
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: tokens are a fixed sequence of one file
                <span key={i} className={`tok-${token.kind}`}>
                  {token.text}
                </span>
              ),
            )}
          </code>
        </pre>
      </section>
    </figure>
  );
}
