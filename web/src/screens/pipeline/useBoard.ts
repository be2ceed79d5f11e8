import { useEffect, useState } from "react";
import { type BoardFrame, pipelineApi } from "../../api-pipeline.ts";
import { applyFrames, type BoardState, fromSnapshot } from "./board-state.ts";

export type Live = "connecting" | "live" | "offline";

/** The board snapshot plus the socket's frames; reconnects with a fresh token after a drop. */
export function useBoard(onExperiment: () => void) {
  const [state, setState] = useState<BoardState | null>(null);
  const [live, setLive] = useState<Live>("connecting");
  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        setState(fromSnapshot(await pipelineApi.board()));
        const { url } = await pipelineApi.boardToken();
        if (stopped) return;
        const target = new URL(url, location.origin);
        target.protocol = location.protocol === "https:" ? "wss:" : "ws:";
        socket = new WebSocket(target.toString());
        socket.addEventListener("open", () => setLive("live"));
        socket.addEventListener("message", (message) => {
          const data = JSON.parse(String(message.data)) as { type: string; frames?: BoardFrame[] };
          if (data.type !== "frames" || !data.frames) return;
          const frames = data.frames;
          setState((current) => (current ? applyFrames(current, frames) : current));
          if (frames.some((f) => f.type === "experiment")) onExperiment();
        });
        socket.addEventListener("close", () => {
          setLive("offline");
          if (!stopped) retry = setTimeout(connect, 2000);
        });
      } catch {
        setLive("offline");
        if (!stopped) retry = setTimeout(connect, 5000);
      }
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close(1000, "left");
    };
  }, [onExperiment]);
  return { state, setState, live };
}
