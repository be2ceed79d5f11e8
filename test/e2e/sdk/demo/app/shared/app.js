// Shared by v1/ and v2/: the markup differs between the versions, what the app does does not.
const byName = (name) => document.querySelector(`[name="${name}"]`);
byName("signin").addEventListener("click", () => {
  document.querySelector('[data-testid="welcome"]').textContent = `Welcome back, ${byName("email").value}`;
});
byName("add").addEventListener("click", () => {
  const count = document.querySelector('[data-testid="cart-count"]');
  count.textContent = String(Number(count.textContent) + 1);
});
document.querySelector('[data-testid="subscribe"]').addEventListener("click", () => {
  const checked = byName("newsletter").checked;
  document.querySelector('[data-testid="subscribe-status"]').textContent = checked
    ? "Subscribed"
    : "Tick the box first";
});
const help = document.querySelector("[data-help]");
if (help && help.tagName === "BUTTON") help.addEventListener("click", () => (location.href = "help.html"));
customElements.define(
  "demo-widget",
  class extends HTMLElement {
    connectedCallback() {
      const root = this.attachShadow({ mode: "open" });
      const cls = document.body.dataset.version === "2" ? "widget-ping-action" : "ping-button";
      root.innerHTML = `<div class="card"><span>Status widget</span> <button class="${cls}" name="ping" type="button">Ping</button></div>`;
      root.querySelector("button").addEventListener("click", () => {
        document.querySelector('[data-testid="pong"]').textContent = "Pong";
      });
    }
  },
);
