import { DurableObject } from "cloudflare:workers";

/**
 * One live manual-testing room per session (DESIGN §6a). The full protocol lives with the sessions
 * domain; this class is the binding's home.
 */
export class SessionRoom extends DurableObject {
  override async fetch(_request: Request): Promise<Response> {
    return new Response("room not open", { status: 404 });
  }
}
