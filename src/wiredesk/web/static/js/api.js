// Fetching JSON from the desk's own API. A 503 means another process is writing the store (or an upload is
// being processed): we say so in a banner and retry a few times instead of failing the view.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const banner = () => document.getElementById("banner");

function showBusy(text) {
  const el = banner();
  if (!el) return;
  el.textContent = text;
  el.hidden = false;
}

function hideBusy() {
  const el = banner();
  if (el) el.hidden = true;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET /api/<path> with query parameters (empty values are left out). */
export async function getJSON(path, params = {}) {
  const url = new URL(`/api/${path}`, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" } });
    } catch (err) {
      throw new ApiError(0, "the server did not answer: is `wiredesk serve` still running?");
    }
    if (response.status === 503 && attempt < 6) {
      const body = await response.json().catch(() => ({}));
      showBusy(`${body.detail || "The store is busy."} Retrying…`);
      await sleep(1500);
      continue;
    }
    hideBusy();
    const body = await response.json().catch(() => ({ detail: response.statusText }));
    if (!response.ok) throw new ApiError(response.status, body.detail || response.statusText);
    return body;
  }
}
